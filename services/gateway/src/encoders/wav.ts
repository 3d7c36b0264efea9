import type { AudioFormat, EncoderOptions } from "./types";
import { PcmEncoder } from "./pcm";

/** Size fields for a stream of unknown length (the customary 0xFFFFFFFF). */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

/**
 * A 44-byte canonical RIFF/WAVE header for integer PCM. Without `dataBytes`
 * the RIFF and data sizes are 0xFFFFFFFF, which players read as "until EOF".
 */
export function wavHeader(
  sampleRate: number,
  channels: number,
  bits: number,
  dataBytes?: number,
): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`bad sample rate ${sampleRate}`);
  if (!Number.isInteger(channels) || channels < 1 || channels > 65535)
    throw new RangeError(`bad channel count ${channels}`);
  if (bits !== 8 && bits !== 16 && bits !== 24 && bits !== 32)
    throw new RangeError(`bad bits per sample ${bits}`);
  if (
    dataBytes !== undefined &&
    (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > 0xffffffff - 36)
  ) {
    throw new RangeError(`bad data size ${dataBytes}`);
  }
  const h = new Uint8Array(44);
  const dv = new DataView(h.buffer);
  const ascii = (o: number, s: string) => {
    for (let i = 0; i < s.length; i++) h[o + i] = s.charCodeAt(i);
  };
  const blockAlign = channels * (bits / 8);
  ascii(0, "RIFF");
  dv.setUint32(4, dataBytes === undefined ? WAV_UNKNOWN_SIZE : 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  dv.setUint32(16, 16, true); // fmt chunk size
  dv.setUint16(20, 1, true); // WAVE_FORMAT_PCM
  dv.setUint16(22, channels, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * blockAlign, true); // byte rate
  dv.setUint16(32, blockAlign, true);
  dv.setUint16(34, bits, true);
  ascii(36, "data");
  dv.setUint32(40, dataBytes === undefined ? WAV_UNKNOWN_SIZE : dataBytes, true);
  return h;
}

/** Streamed WAV: one header with unknown sizes, then raw s16le samples (the PCM encoder's). */
export class WavEncoder extends PcmEncoder {
  override readonly format: AudioFormat = "wav";
  override readonly contentType = "audio/wav";

  constructor(private readonly opts: EncoderOptions) {
    super();
  }

  override start(): Uint8Array {
    return wavHeader(this.opts.sampleRate, 1, 16);
  }
}
