// Shared test helpers: real Kokoro voice rows, running the fixture with onnxruntime, and a
// simulation of what the platform does to audio chunks before a client hears them.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { generateFixtureModel, type FixtureOptions, IO_NAMES, SAMPLE_RATE } from "../src/index.ts";

export const SHARED_DIR =
  process.env.SHARED_DIR ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));
export const VOICES_DIR = join(SHARED_DIR, "kokoro", "voices");

/** Style row for `tokenCount` tokens from a voice pack (raw little-endian float32 [510,1,256]). */
export function voiceStyle(voice: string, tokenCount: number): Float32Array {
  const path = join(VOICES_DIR, `${voice}.bin`);
  if (!existsSync(path)) throw new Error(`voice pack not found: ${path} (set SHARED_DIR)`);
  const buf = readFileSync(path);
  const row = Math.min(509, Math.max(0, tokenCount));
  const out = new Float32Array(256);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < 256; i++) out[i] = dv.getFloat32((row * 256 + i) * 4, true);
  return out;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random token ids in 1..177 with deliberate runs of repeats. */
export function randomTokens(rand: () => number, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const t = 1 + Math.floor(rand() * 177);
    const reps = rand() < 0.2 ? 2 + Math.floor(rand() * 3) : 1;
    for (let i = 0; i < reps && out.length < n; i++) out.push(t);
  }
  return out;
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/** Cached onnxruntime session for fixture options. */
export function session(opts: FixtureOptions = {}): Promise<ort.InferenceSession> {
  const key = JSON.stringify(opts);
  let s = sessions.get(key);
  if (!s) {
    // logSeverityLevel 4: failures still reject, but onnxruntime does not also print them.
    s = ort.InferenceSession.create(generateFixtureModel(opts), { logSeverityLevel: 4 });
    sessions.set(key, s);
  }
  return s;
}

export interface RunResult {
  audio: ort.Tensor;
  durations?: ort.Tensor;
}

/** Runs the fixture on non-pad `tokens` (pads are added here, like the platform does). */
export async function synth(
  tokens: number[],
  voice: string,
  speed: number,
  opts: FixtureOptions = {},
): Promise<RunResult & { ids: number[]; style: Float32Array }> {
  const io = IO_NAMES[opts.naming ?? "onnx-community"];
  const ids = [0, ...tokens, 0];
  const style = voiceStyle(voice, tokens.length);
  const s = await session(opts);
  const out = await s.run({
    [io.ids]: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    [io.style]: new ort.Tensor("float32", style, [1, 256]),
    [io.speed]: new ort.Tensor("float32", Float32Array.from([speed]), [1]),
  });
  return { audio: out[io.audio]!, durations: out[io.durations], ids, style };
}

/** Trims leading/trailing samples below `threshold`, then cuts `extraMs` more (into the Hann rise/fall). */
export function trim(x: Float32Array, threshold = 0.01, extraMs = 2): Float32Array {
  const extra = Math.round((extraMs / 1000) * SAMPLE_RATE);
  let a = 0;
  while (a < x.length && Math.abs(x[a]!) < threshold) a++;
  let b = x.length;
  while (b > a && Math.abs(x[b - 1]!) < threshold) b--;
  return x.slice(Math.min(b, a + extra), Math.max(a + extra, b - extra));
}

/** Linear fade-in and fade-out of `ms` at both edges (in place). */
export function fade(x: Float32Array, ms = 5): Float32Array {
  const n = Math.min(Math.floor(x.length / 2), Math.round((ms / 1000) * SAMPLE_RATE));
  for (let i = 0; i < n; i++) {
    const g = i / n;
    x[i] = x[i]! * g;
    x[x.length - 1 - i] = x[x.length - 1 - i]! * g;
  }
  return x;
}

export function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32767)));
  return out;
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
