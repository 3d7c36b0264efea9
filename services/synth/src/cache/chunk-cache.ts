/**
 * The chunk cache: a worker's memory tier in front of a tier every replica
 * shares (a JetStream key-value bucket on NATS). A hit is byte-identical to a
 * fresh render by construction (chunk-key.ts). The shared tier is best effort:
 * a lookup that does not answer within `lookupMs` is a miss, and after an error
 * the tier is left alone for a while, so a sick or absent JetStream costs a
 * stream nothing but the cache; a store is fire-and-forget.
 */
import type { BlobStore, Logger } from "@kokoro-edge/runtime";
import { decodeCachedChunk, encodeCachedChunk, type CachedChunk } from "./cached-chunk";
import type { MemoryTier } from "./memory-tier";

export type CacheTier = "memory" | "shared";
export type LookupResult = "hit" | "miss" | "timeout" | "error" | "bypassed" | "invalid";
export type StoreResult = "stored" | "error" | "too_large" | "skipped";

export interface ChunkCacheOptions {
  memory?: MemoryTier;
  shared?: BlobStore;
  /** How long a shared lookup may take before it counts as a miss. */
  lookupMs: number;
  /** How long the shared tier is left alone after it failed. */
  backoffMs?: number;
  /** Stores to the shared tier in flight at most; more are skipped rather than queued. */
  maxPendingStores?: number;
  /** How many shared lookups one probe runs at once. */
  probeConcurrency?: number;
  log: Logger;
  onLookup?: (tier: CacheTier, result: LookupResult) => void;
  onStore?: (tier: CacheTier, result: StoreResult) => void;
}

export class ChunkCache {
  private bypassUntil = 0;
  private pendingStores = 0;
  /** Chunks this worker is inferring right now, by key: a stream that needs one waits for it. */
  private readonly inFlight = new Map<string, Promise<CachedChunk | undefined>>();

  constructor(private readonly opts: ChunkCacheOptions) {}

  /** The shared tier, once it is open (it is opened in the background: a worker does not wait for it). */
  attachShared(store: BlobStore): void {
    this.opts.shared = store;
  }

  get tiers(): string {
    return [
      this.opts.memory ? `memory (${Math.round(this.opts.memory.maxBytes / 2 ** 20)} MiB)` : "",
      this.opts.shared?.describe ?? "",
    ]
      .filter(Boolean)
      .join(" + ");
  }

  /**
   * Which of `keys` are cached, asked all at once before a stream starts: the
   * memory tier, then the shared one (values found there are kept in memory, so
   * the stream reads them from there). A key not answered in time counts as absent.
   */
  async probe(keys: string[]): Promise<boolean[]> {
    const found = keys.map((k) => this.countedHas(k));
    const ask = keys.map((_, i) => i).filter((i) => !found[i]);
    if (!ask.length || !this.sharedUsable()) return found;
    const deadline = performance.now() + this.opts.lookupMs;
    let next = 0;
    const worker = async () => {
      while (next < ask.length) {
        const i = ask[next++]!;
        const left = deadline - performance.now();
        if (left <= 0) return;
        const c = await this.fromShared(keys[i]!, left);
        if (c) {
          found[i] = true;
          this.opts.memory?.set(keys[i]!, c);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.probeConcurrency ?? 8, ask.length) }, worker));
    return found;
  }

  /** The chunk under `key` if this worker's memory holds it (no lookup counted: a second look). */
  inMemory(key: string): CachedChunk | undefined {
    return this.opts.memory?.get(key);
  }

  /** The chunk under `key`, from memory or else the shared tier; undefined: infer it. */
  async get(key: string): Promise<CachedChunk | undefined> {
    const m = this.opts.memory?.get(key);
    if (m) {
      this.opts.onLookup?.("memory", "hit");
      return m;
    }
    if (this.opts.memory) this.opts.onLookup?.("memory", "miss");
    if (!this.opts.shared) return undefined;
    const c = await this.fromShared(key, this.opts.lookupMs);
    if (c) this.opts.memory?.set(key, c);
    return c;
  }

  /**
   * The chunk under `key` if this worker is inferring it right now (many callers asking for one
   * prompt at once): it is ready within that one inference. undefined when it fails or is not running.
   */
  running(key: string): Promise<CachedChunk | undefined> | undefined {
    return this.inFlight.get(key);
  }

  /** An inference of `key` starts; call the function returned with what it made (undefined: it failed). */
  inferring(key: string): (made: CachedChunk | undefined) => void {
    let settle!: (c: CachedChunk | undefined) => void;
    const p = new Promise<CachedChunk | undefined>((r) => (settle = r));
    if (!this.inFlight.has(key)) this.inFlight.set(key, p);
    return (made) => {
      if (this.inFlight.get(key) === p) this.inFlight.delete(key);
      settle(made);
    };
  }

  /** Keep a freshly inferred chunk: in memory now, in the shared tier in the background. */
  store(key: string, chunk: CachedChunk): void {
    if (this.opts.memory) {
      this.opts.memory.set(key, chunk);
      this.opts.onStore?.("memory", "stored");
    }
    const shared = this.opts.shared;
    if (!shared || !this.sharedUsable()) return;
    if (this.pendingStores >= (this.opts.maxPendingStores ?? 8)) {
      this.opts.onStore?.("shared", "skipped");
      return;
    }
    const bytes = encodeCachedChunk(chunk);
    if (bytes.byteLength > shared.maxValueBytes) {
      this.opts.onStore?.("shared", "too_large");
      return;
    }
    this.pendingStores++;
    shared
      .put(key, bytes)
      .then(() => this.opts.onStore?.("shared", "stored"))
      .catch((err: Error) => {
        this.failed("store", err);
        this.opts.onStore?.("shared", "error");
      })
      .finally(() => this.pendingStores--);
  }

  private countedHas(key: string): boolean {
    const hit = this.opts.memory?.has(key) ?? false;
    if (this.opts.memory) this.opts.onLookup?.("memory", hit ? "hit" : "miss");
    return hit;
  }

  private sharedUsable(): boolean {
    return !!this.opts.shared && performance.now() >= this.bypassUntil;
  }

  private async fromShared(key: string, ms: number): Promise<CachedChunk | undefined> {
    const shared = this.opts.shared;
    if (!shared) return undefined;
    if (!this.sharedUsable()) {
      this.opts.onLookup?.("shared", "bypassed");
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)));
    const asked = shared.get(key);
    try {
      const got = await Promise.race([asked, timeout]);
      if (got === "timeout") {
        asked.catch(() => {}); // answered late or not at all: nobody waits for it
        this.opts.onLookup?.("shared", "timeout");
        return undefined;
      }
      if (!got) {
        this.opts.onLookup?.("shared", "miss");
        return undefined;
      }
      const c = decodeCachedChunk(got);
      if (!c) {
        // A damaged or foreign value is this key's problem, not the tier's: a miss (it is overwritten when made).
        this.opts.onLookup?.("shared", "invalid");
        return undefined;
      }
      this.opts.onLookup?.("shared", "hit");
      return c;
    } catch (err) {
      this.failed("lookup", err as Error);
      this.opts.onLookup?.("shared", "error");
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(what: string, err: Error): void {
    const backoff = this.opts.backoffMs ?? 10_000;
    if (performance.now() >= this.bypassUntil)
      this.opts.log.warn(`shared chunk cache ${what} failed; leaving it alone for ${backoff / 1000} s`, {
        error: err.message,
      });
    this.bypassUntil = performance.now() + backoff;
  }
}
