/**
 * What the cache keeps of a chunk: its final 16-bit PCM after the seams
 * (trimmed, faded, its pause appended), where the trim began and how much of
 * it is speech, and the engine's per-token durations (the word timings are
 * computed from them at send time, as for a fresh chunk). Stored as bytes for
 * the shared tier: a fixed header, then the samples, then the durations, in
 * host order as every audio message on the bus (runtime/pcm.ts).
 */
import { bytesFromInt16 } from "@kokoro-edge/runtime";

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
  out.set(bytesFromInt16(c.pcm), HEADER_BYTES);
  if (c.durations)
    out.set(
      new Uint8Array(c.durations.buffer, c.durations.byteOffset, c.durations.byteLength),
      HEADER_BYTES + c.pcm.byteLength,
    );
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
  // copies: aligned, and not views of a buffer the transport may reuse
  const at = bytes.byteOffset + HEADER_BYTES;
  const pcm = new Int16Array(bytes.buffer.slice(at, at + samples * 2));
  const d =
    nd === NO_DURATIONS
      ? undefined
      : new Int32Array(bytes.buffer.slice(at + samples * 2, at + samples * 2 + nd * 4));
  return { pcm, trimStart, speechSamples, ...(d ? { durations: d } : {}) };
}
