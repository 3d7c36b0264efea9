/**
 * What the cache keeps of a chunk: its final 16-bit PCM after the seams
 * (trimmed, faded, its pause appended), where the trim began and how much of
 * it is speech, and the engine's per-token durations (the word timings are
 * computed from them at send time, as for a fresh chunk). Stored as bytes for
 * the shared tier: a fixed header, then the samples, then the durations.
 */
export interface CachedChunk {
  pcm: Int16Array;
  trimStart: number;
  speechSamples: number;
  durations?: Int32Array;
}

const MAGIC = 0x3143_454b; // "KEC1"
const HEADER_BYTES = 20;
const NO_DURATIONS = 0xffff_ffff;

export function cachedChunkBytes(c: CachedChunk): number {
  return c.pcm.byteLength + (c.durations?.byteLength ?? 0) + HEADER_BYTES;
}

export function encodeCachedChunk(c: CachedChunk): Uint8Array {
  const out = new Uint8Array(cachedChunkBytes(c));
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, c.trimStart, true);
  v.setUint32(8, c.speechSamples, true);
  v.setUint32(12, c.pcm.length, true);
  v.setUint32(16, c.durations ? c.durations.length : NO_DURATIONS, true);
  let at = HEADER_BYTES;
  for (let i = 0; i < c.pcm.length; i++, at += 2) v.setInt16(at, c.pcm[i]!, true);
  if (c.durations)
    for (let i = 0; i < c.durations.length; i++, at += 4) v.setInt32(at, c.durations[i]!, true);
  return out;
}

/** undefined for bytes that are not a whole cached chunk (a damaged or foreign value is a miss). */
export function decodeCachedChunk(bytes: Uint8Array): CachedChunk | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== MAGIC) return undefined;
  const trimStart = v.getUint32(4, true);
  const speechSamples = v.getUint32(8, true);
  const samples = v.getUint32(12, true);
  const nd = v.getUint32(16, true);
  const durations = nd === NO_DURATIONS ? 0 : nd;
  if (bytes.byteLength !== HEADER_BYTES + samples * 2 + durations * 4 || speechSamples > samples)
    return undefined;
  const pcm = new Int16Array(samples);
  let at = HEADER_BYTES;
  for (let i = 0; i < samples; i++, at += 2) pcm[i] = v.getInt16(at, true);
  let d: Int32Array | undefined;
  if (nd !== NO_DURATIONS) {
    d = new Int32Array(nd);
    for (let i = 0; i < nd; i++, at += 4) d[i] = v.getInt32(at, true);
  }
  return { pcm, trimStart, speechSamples, ...(d ? { durations: d } : {}) };
}
