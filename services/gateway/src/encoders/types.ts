/** Response formats the public API names (OpenAI's set). */
export const AUDIO_FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/**
 * One encoder per response stream: a single container header, then encoded
 * audio as PCM arrives, then a trailer. Never one file per chunk.
 *
 * Input is signed 16-bit mono PCM at the rate the encoder was created with.
 * Every returned array is owned by the caller (never reused by the encoder).
 */
export interface StreamEncoder {
  readonly format: AudioFormat;
  readonly contentType: string;
  /** bytes to send before any audio (e.g. WAV header); may be empty */
  start(): Uint8Array;
  /** encode more PCM; returns bytes ready to send now (possibly empty) */
  push(pcm: Int16Array): Uint8Array;
  /** flush and finish the stream */
  end(): Uint8Array;
  /** the stream was cancelled before end(): give back what the encoder holds (optional) */
  close?(): void;
}

export interface EncoderOptions {
  /** input sample rate in Hz (Kokoro: 24000) */
  sampleRate: number;
  /** target bitrate in bits/s for lossy formats; a per-format default otherwise */
  bitrate?: number;
}

/** Concatenate byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const EMPTY = new Uint8Array(0);

/** The bytes of s16le PCM, copied (the caller's buffer may be reused). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export function pcmBytes(pcm: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength).slice();
  const out = new Uint8Array(pcm.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) dv.setInt16(i * 2, pcm[i]!, true);
  return out;
}

/** Guard against calls after end(). */
export class EncoderStateError extends Error {
  constructor(format: AudioFormat, what: string) {
    super(`${format} encoder: ${what}`);
    this.name = "EncoderStateError";
  }
}
