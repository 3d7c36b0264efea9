/**
 * The chunk cache's key: a hash of everything that decides a chunk's samples
 * (DESIGN.md: synthesis is deterministic per chunk). The engine and the full
 * sha256 of the model file; the style vector the engine is given, which is the
 * voice packs' rows mixed by their weights (so it changes with any pack's
 * bytes or any weight, and needs no pack hashes); the speed; the token ids;
 * and the rules that shape the chunk (trim, fade, the pause after it). Engines
 * that read text instead (the espeak-ng fallback) are keyed by text and voice.
 * The first chunk's short first message is cut at send time, after the cache,
 * so a chunk's position in its stream is not part of the key.
 */
import { createHash } from "node:crypto";

/** Bumped whenever the shaping of a chunk (seams.ts) or the cached value's layout changes. */
export const CHUNK_RULES_VERSION = "kokoro-edge chunk v1";

export interface ChunkIdentity {
  engine: string;
  /** The model file's sha256 (or, for an engine without a file, its name and version). */
  modelId: string;
  sampleRate: number;
  speed: number;
  pauseAfterS: number;
  tokens: readonly number[];
  /** The exact style vector given to the engine; absent for engines that read text. */
  style?: Float32Array;
  /** For engines that read text: the chunk's text and the voice. */
  text?: string;
  voice?: string;
}

export function chunkKey(c: ChunkIdentity): string {
  const h = createHash("sha256");
  const field = (s: string) => {
    const b = Buffer.from(s, "utf8");
    const n = Buffer.alloc(4);
    n.writeUInt32LE(b.length);
    h.update(n);
    h.update(b);
  };
  const f64 = (x: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    h.update(b);
  };
  field(CHUNK_RULES_VERSION);
  field(c.engine);
  field(c.modelId);
  f64(c.sampleRate);
  f64(c.speed);
  f64(c.pauseAfterS);
  field(Int32Array.from(c.tokens).join(","));
  if (c.style) {
    field("style");
    h.update(new Uint8Array(c.style.buffer, c.style.byteOffset, c.style.byteLength));
  } else {
    field("text");
    field(c.text ?? "");
    field(c.voice ?? "");
  }
  return h.digest("hex");
}
