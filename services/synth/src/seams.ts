/**
 * What happens at chunk seams. Kokoro leaves silence at both ends of each
 * chunk: trim it, keep a short margin, fade the edges so nothing clicks, and
 * put back exactly the pause the text asked for. Each chunk's output depends
 * only on its own audio, so any replica can redo a chunk and get the same
 * samples (the basis of failover without gaps or repeats).
 */
export const SILENCE_THRESHOLD = 1e-3; // about -60 dBFS
export const EDGE_MARGIN_S = 0.005;
export const FADE_S = 0.005;

/** [start, end) of the audible part, widened by the margin; empty audio gives [0, 0]. */
export function audibleRange(
  audio: Float32Array,
  sampleRate: number,
  threshold = SILENCE_THRESHOLD,
): [number, number] {
  let start = 0;
  while (start < audio.length && Math.abs(audio[start]!) < threshold) start++;
  if (start === audio.length) return [0, 0];
  let end = audio.length;
  while (end > start && Math.abs(audio[end - 1]!) < threshold) end--;
  const margin = Math.round(EDGE_MARGIN_S * sampleRate);
  return [Math.max(0, start - margin), Math.min(audio.length, end + margin)];
}

/** Raised-cosine fade-in and fade-out over `FADE_S` at both ends (in place). */
export function fadeEdges(audio: Float32Array, sampleRate: number): Float32Array {
  const n = Math.min(Math.round(FADE_S * sampleRate), Math.floor(audio.length / 2));
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    audio[i]! *= g;
    audio[audio.length - 1 - i]! *= g;
  }
  return audio;
}

export function pauseSamples(pauseS: number, sampleRate: number): number {
  return Math.max(0, Math.round(pauseS * sampleRate));
}

export interface ShapedChunk {
  /** Trimmed, faded speech followed by the pause: the chunk's part of the stream. */
  pcm: Int16Array;
  /** Where the trimmed audio began in the model's raw output (for word timings). */
  trimStart: number;
  /** Samples of speech (before the pause). */
  speechSamples: number;
}

/** Model output -> the samples this chunk contributes to the stream (16-bit). */
export function shapeChunk(raw: Float32Array, pauseAfterS: number, sampleRate: number): ShapedChunk {
  const [start, end] = audibleRange(raw, sampleRate);
  const speech = fadeEdges(raw.slice(start, end), sampleRate);
  const pause = pauseSamples(pauseAfterS, sampleRate);
  const pcm = new Int16Array(speech.length + pause);
  floatToInt16(speech, pcm);
  return { pcm, trimStart: start, speechSamples: speech.length };
}

/**
 * Float samples to 16-bit, clamped to [-1, 1] (NaN is silence), scaled by
 * 32768 below zero and 32767 above, rounded half up: exactly
 * `Math.round(s * scale)`, written so the loop stays cheap (it is on the path
 * to every stream's first audio).
 */
export function floatToInt16(src: Float32Array, dst: Int16Array): Int16Array {
  const n = Math.min(src.length, dst.length);
  for (let i = 0; i < n; i++) {
    let s = src[i]!;
    s = s > 1 ? 1 : s >= -1 ? s : s < -1 ? -1 : 0;
    const v = s < 0 ? s * 32768 : s * 32767;
    dst[i] = ((v + 32768.5) | 0) - 32768; // v + 32768.5 > 0, so `| 0` is floor
  }
  return dst;
}

/**
 * Split PCM into message-sized pieces (at most `maxBytes` each). With
 * `firstSamples`, the first piece is that short: a stream's first audio then
 * crosses the bus as a small message and reaches the client sooner.
 */
export function splitPcm(pcm: Int16Array, maxBytes: number, firstSamples?: number): Int16Array[] {
  const per = Math.max(1, Math.floor(maxBytes / 2));
  if (pcm.length === 0) return [pcm];
  const out: Int16Array[] = [];
  let i = 0;
  if (firstSamples && firstSamples > 0 && firstSamples < pcm.length) {
    i = Math.min(firstSamples, per);
    out.push(pcm.subarray(0, i));
  }
  for (; i < pcm.length; i += per) out.push(pcm.subarray(i, Math.min(pcm.length, i + per)));
  return out;
}

/** Samples in the first message of a stream's first chunk (0.25 s at 24 kHz). */
export const FIRST_MESSAGE_SAMPLES = 6000;
