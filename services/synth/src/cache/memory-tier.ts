import { cachedChunkBytes, type CachedChunk } from "./cached-chunk";

/**
 * A worker's own tier: least recently used first out, bounded by the bytes
 * its chunks hold (a chunk larger than the whole bound is not kept).
 */
export class MemoryTier {
  private readonly entries = new Map<string, CachedChunk>();
  private used = 0;
  evictions = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedChunk | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, chunk: CachedChunk): void {
    const size = cachedChunkBytes(chunk);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= cachedChunkBytes(old);
    }
    if (size > this.maxBytes) return;
    this.entries.set(key, chunk);
    this.used += size;
    while (this.used > this.maxBytes) {
      const [k, v] = this.entries.entries().next().value!;
      this.entries.delete(k);
      this.used -= cachedChunkBytes(v);
      this.evictions++;
    }
  }
}
