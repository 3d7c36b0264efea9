/**
 * The chunk cache: its key, its stored form and its two tiers, then workers
 * that use it: a hit is byte-identical to a fresh render, two replicas on real
 * NATS share what either made, a new model misses, and a NATS without
 * JetStream leaves the worker speaking from memory.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contracts, SynthEnd, SynthStart, type SynthRequestInput } from "@kokoro-edge/proto";
import {
  Bus,
  MemoryTransport,
  NatsTransport,
  StreamRejected,
  concatInt16,
  createLogger,
  decodeJson,
  int16FromBytes,
  loadConfig,
  type BlobStore,
} from "@kokoro-edge/runtime";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { startPrivateNats, type PrivateNats } from "@kokoro-edge/runtime/src/testing/nats-server";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { configSchema, startSynth, type SynthService } from "../src";
import { chunkKey, type ChunkIdentity } from "../src/cache/chunk-key";
import { decodeCachedChunk, encodeCachedChunk, type CachedChunk } from "../src/cache/cached-chunk";
import { MemoryTier } from "../src/cache/memory-tier";
import { ChunkCache, type LookupResult } from "../src/cache/chunk-cache";
import { sharedDir } from "./shared";

const VOICES = join(sharedDir(), "kokoro", "voices");
const log = createLogger("cache-test");

const chunk = (n: number, fill = 1): CachedChunk => ({
  pcm: Int16Array.from({ length: n }, (_, i) => ((i * 37 + fill) % 60000) - 30000),
  trimStart: 5,
  speechSamples: Math.max(0, n - 10),
  durations: Int32Array.from([2, 3, 4]),
});

describe("the key", () => {
  const base: ChunkIdentity = {
    engine: "kokoro",
    modelId: "a".repeat(64),
    sampleRate: 24000,
    speed: 1,
    pauseAfterS: 0.2,
    tokens: [50, 83, 54],
    style: Float32Array.from({ length: 256 }, (_, i) => i / 256),
  };

  test("the same inputs give the same key; any one thing that decides the samples changes it", () => {
    expect(chunkKey({ ...base, tokens: [...base.tokens], style: base.style!.slice() })).toBe(chunkKey(base));
    const style = base.style!.slice();
    style[255] = Math.fround(style[255]! + 1e-6); // one float of a voice mix
    const variants: ChunkIdentity[] = [
      { ...base, engine: "fixture" },
      { ...base, modelId: "b".repeat(64) },
      { ...base, speed: 1.0000001 },
      { ...base, pauseAfterS: 0.4 },
      { ...base, tokens: [50, 83, 55] },
      { ...base, tokens: [50, 83] },
      { ...base, style },
      { ...base, style: undefined, text: "hi", voice: "af_heart" },
    ];
    const keys = new Set([chunkKey(base), ...variants.map(chunkKey)]);
    expect(keys.size).toBe(variants.length + 1);
    // Engines that read text: the text and the voice decide.
    const text = { ...base, style: undefined, text: "hi", voice: "af_heart" };
    expect(chunkKey({ ...text, voice: "am_adam" })).not.toBe(chunkKey(text));
    expect(chunkKey({ ...text, text: "hi!" })).not.toBe(chunkKey(text));
  });
});

describe("the stored form", () => {
  test("gives back exactly what was stored, with or without durations", () => {
    const c = chunk(1001);
    expect(decodeCachedChunk(encodeCachedChunk(c))).toEqual(c);
    const { durations: _, ...noDur } = c;
    expect(decodeCachedChunk(encodeCachedChunk(noDur))).toEqual(noDur);
    expect(decodeCachedChunk(encodeCachedChunk(chunk(0)))).toEqual(chunk(0));
  });

  test("a damaged or foreign value is refused, not misread", () => {
    const bytes = encodeCachedChunk(chunk(100));
    expect(decodeCachedChunk(bytes.slice(0, bytes.length - 1))).toBeUndefined();
    expect(decodeCachedChunk(new Uint8Array([1, 2, 3]))).toBeUndefined();
    const foreign = bytes.slice();
    foreign[0] = 0;
    expect(decodeCachedChunk(foreign)).toBeUndefined();
  });
});

describe("the memory tier", () => {
  test("stays within its bytes, dropping the least recently used first", () => {
    const size = encodeCachedChunk(chunk(1000)).byteLength;
    const tier = new MemoryTier(size * 3);
    tier.set("a", chunk(1000));
    tier.set("b", chunk(1000));
    tier.set("c", chunk(1000));
    tier.get("a"); // a is now the most recent
    tier.set("d", chunk(1000));
    expect([tier.has("a"), tier.has("b"), tier.has("c"), tier.has("d")]).toEqual([true, false, true, true]);
    expect(tier.bytes).toBeLessThanOrEqual(size * 3);
    expect(tier.evictions).toBe(1);
    tier.set("huge", chunk(10_000)); // larger than the whole tier: not kept, nothing dropped for it
    expect(tier.has("huge")).toBe(false);
    expect(tier.size).toBe(3);
    tier.set("a", chunk(1000, 2)); // replacing keeps the count right
    expect(tier.bytes).toBe(size * 3);
  });

  test("a long mixed workload never holds more than its bound", () => {
    const tier = new MemoryTier(2 ** 20);
    let peak = 0;
    for (let i = 0; i < 3000; i++) {
      const k = `k${Math.floor(Math.abs(Math.sin(i)) * 400)}`;
      if (!tier.get(k)) tier.set(k, chunk(1000 + (i % 7) * 3000));
      peak = Math.max(peak, tier.bytes);
    }
    expect(peak).toBeLessThanOrEqual(2 ** 20);
    expect(tier.evictions).toBeGreaterThan(0);
  });
});

/** A shared tier in memory whose faults a test sets. */
function fakeShared(opts: { delayMs?: number; fail?: boolean; maxValueBytes?: number } = {}) {
  const m = new Map<string, Uint8Array>();
  const store: BlobStore & { gets: number; puts: number } = {
    gets: 0,
    puts: 0,
    maxValueBytes: opts.maxValueBytes ?? 1 << 20,
    describe: "fake",
    async get(key) {
      store.gets++;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.fail) throw new Error("jetstream not available");
      return m.get(key);
    },
    async put(key, value) {
      store.puts++;
      if (opts.fail) throw new Error("jetstream not available");
      m.set(key, value);
    },
  };
  return { store, map: m };
}

describe("the tiers together", () => {
  const counted = () => {
    const seen: string[] = [];
    return { seen, onLookup: (tier: string, r: LookupResult) => seen.push(`${tier}:${r}`) };
  };

  test("a chunk stored by one worker is found by another through the shared tier, then from its own memory", async () => {
    const { store } = fakeShared();
    const a = new ChunkCache({ memory: new MemoryTier(2 ** 20), shared: store, lookupMs: 200, log });
    const b = new ChunkCache({ memory: new MemoryTier(2 ** 20), shared: store, lookupMs: 200, log });
    a.store("k1", chunk(500));
    await new Promise((r) => setTimeout(r, 5));
    expect(await b.probe(["k1", "k2"])).toEqual([true, false]);
    const gets = store.gets;
    expect(await b.get("k1")).toEqual(chunk(500));
    expect(store.gets).toBe(gets); // the probe kept it in memory
  });

  test("a slow shared tier is a miss after lookupMs, and the stream does not wait longer", async () => {
    const { store } = fakeShared({ delayMs: 300 });
    const c = counted();
    const cache = new ChunkCache({ shared: store, lookupMs: 20, log, onLookup: c.onLookup });
    const t0 = performance.now();
    expect(await cache.probe(["a", "b", "c"])).toEqual([false, false, false]);
    expect(await cache.get("a")).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(250);
    expect(c.seen).toContain("shared:timeout");
  });

  test("a failing shared tier is left alone for a while: nothing fails, lookups skip it", async () => {
    const { store } = fakeShared({ fail: true });
    const c = counted();
    const cache = new ChunkCache({
      memory: new MemoryTier(2 ** 20),
      shared: store,
      lookupMs: 100,
      backoffMs: 60_000,
      log,
      onLookup: c.onLookup,
    });
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBeUndefined();
    expect(store.gets).toBe(1);
    expect(c.seen).toEqual(["memory:miss", "shared:error", "memory:miss", "shared:bypassed"]);
    cache.store("a", chunk(10)); // memory still works
    expect(await cache.get("a")).toEqual(chunk(10));
    expect(store.puts).toBe(0);
  });

  test("a damaged value in the shared tier is a miss for its key only; the tier is still asked", async () => {
    const { store, map } = fakeShared();
    map.set("bad", new Uint8Array([1, 2, 3, 4]));
    const c = counted();
    const cache = new ChunkCache({ shared: store, lookupMs: 100, log, onLookup: c.onLookup });
    expect(await cache.get("bad")).toBeUndefined();
    cache.store("good", chunk(50));
    await new Promise((r) => setTimeout(r, 5));
    expect(await cache.get("good")).toEqual(chunk(50));
    expect(c.seen).toEqual(["shared:invalid", "shared:hit"]);
  });

  test("a chunk larger than the shared tier's messages stays in memory only", async () => {
    const { store } = fakeShared({ maxValueBytes: 1000 });
    const stores: string[] = [];
    const cache = new ChunkCache({
      memory: new MemoryTier(2 ** 20),
      shared: store,
      lookupMs: 100,
      log,
      onStore: (t, r) => stores.push(`${t}:${r}`),
    });
    cache.store("big", chunk(5000));
    expect(stores).toEqual(["memory:stored", "shared:too_large"]);
    expect(store.puts).toBe(0);
  });
});

// ---- workers -----------------------------------------------------------------------------------

async function collect(bus: Bus, req: SynthRequestInput) {
  const reader = await openOn(bus, req);
  const start = SynthStart.parse(decodeJson(reader.accepted.data));
  const pcm: Int16Array[] = [];
  const words: unknown[] = [];
  let costed = 0; // chunks whose last message says what inferring them cost
  for await (const m of reader) {
    if (m.headers["ke-type"] === "words") words.push(decodeJson(m.data));
    else {
      pcm.push(int16FromBytes(m.data));
      if (m.headers["ke-inference-ms"] !== undefined) costed++;
    }
  }
  return { start, end: SynthEnd.parse(decodeJson(reader.end!.data)), pcm: concatInt16(pcm), words, costed };
}

/** Opens the stream; a replica asked to leave it (avoid_workers) refuses, and the queue group is asked again, as the gateway does. */
async function openOn(bus: Bus, req: SynthRequestInput) {
  for (let i = 0; ; i++) {
    try {
      return await bus.openStream(contracts.synth.stream, req, { credit: 8 });
    } catch (err) {
      if (!(err instanceof StreamRejected) || err.error.code !== "avoided" || i >= 30) throw err;
    }
  }
}

const CHUNKS = [
  {
    index: 0,
    tokens: [50, 83, 54, 156, 16, 61],
    pause_after_s: 0.2,
    words: [{ text: "Hi", start: 0, end: 2, token_start: 0, token_end: 3 }],
  },
  { index: 1, tokens: [61, 62, 63, 120, 121], pause_after_s: 0.4 },
  { index: 2, tokens: [44, 45, 46, 47], pause_after_s: 0 },
];

function workerConfig(instance: string, extra: Record<string, string> = {}) {
  return loadConfig(configSchema, {
    KOKORO_MODEL: "fixture",
    VOICES_DIR: VOICES,
    DATA_DIR: mkdtempSync(join(tmpdir(), "synth-cache-")),
    INSTANCE_ID: instance,
    SYNTH_CACHE_BUCKET: `kokoro-chunks-test-${process.pid}-${Date.now().toString(36)}`,
    SYNTH_CACHE_SHARED_MB: "64",
    SYNTH_CACHE_TTL_HOURS: "0.1",
    ...extra,
  });
}

interface Worker {
  bus: Bus;
  synth: SynthService;
  stop(): Promise<void>;
}

/**
 * A worker on a bus of its own (in-process, or a NATS connection to `natsUrl`), ready and with its
 * subscriptions on the server before a stream is asked of it; stop() stops it and closes its bus.
 */
async function startWorker(
  instance: string,
  extra: Record<string, string> = {},
  natsUrl?: string,
): Promise<Worker> {
  const bus = new Bus(natsUrl ? await NatsTransport.connect(natsUrl, instance) : new MemoryTransport());
  const config = workerConfig(instance, natsUrl ? { NATS_URL: natsUrl, ...extra } : extra);
  const synth = await startSynth({ bus, log, config });
  await synth.ready;
  await bus.flush();
  return {
    bus,
    synth,
    async stop() {
      await synth.stop();
      await bus.close();
    },
  };
}

describe("a worker with the cache (in-process bus: memory tier)", () => {
  let bus: Bus;
  let synth: SynthService;
  let worker: Worker;
  beforeAll(async () => {
    worker = await startWorker("cache-mem");
    ({ bus, synth } = worker);
  });
  afterAll(() => worker.stop());

  test("the same request again is served from the cache, byte for byte, words included, with no inference", async () => {
    const req = { v: 1 as const, request_id: "c1", voice: "af_heart", speed: 1, chunks: CHUNKS };
    const first = await collect(bus, req);
    expect(first.start.cached_chunks).toBe(0);
    expect(first.end.cached_chunks).toBe(0);
    const inferences = synth.metrics.inferences;
    const again = await collect(bus, { ...req, request_id: "c2" });
    expect(again.start.cached_chunks).toBe(3);
    expect(again.end.cached_chunks).toBe(3);
    expect(synth.metrics.inferences).toBe(inferences);
    // a chunk from the cache says nothing of what inference costs (the gateway's hedging learns from it)
    expect([first.costed, again.costed]).toEqual([3, 0]);
    expect(again.pcm).toEqual(first.pcm);
    expect(again.words).toEqual(first.words);
    expect(decodeTokens(again.pcm).tokens).toEqual(CHUNKS.flatMap((c) => c.tokens));
  });

  test("a partly cached stream mixes hits and fresh chunks seamlessly; resuming from the middle is exact", async () => {
    const mixed = [CHUNKS[0]!, { index: 1, tokens: [70, 71, 72, 73], pause_after_s: 0.3 }, CHUNKS[2]!];
    const fresh = await collect(bus, {
      v: 1,
      request_id: "p1",
      voice: "af_heart",
      speed: 1,
      chunks: mixed,
    });
    expect(fresh.start.cached_chunks).toBe(2);
    expect(fresh.end.cached_chunks).toBe(2);
    expect(decodeTokens(fresh.pcm).tokens).toEqual(mixed.flatMap((c) => c.tokens));
    // what an uncached worker makes of the same request
    const plain = await startWorker("cache-off", { SYNTH_CACHE: "false" });
    const plainBus = plain.bus;
    try {
      const ref = await collect(plainBus, {
        v: 1,
        request_id: "p2",
        voice: "af_heart",
        speed: 1,
        chunks: mixed,
      });
      expect(ref.start.cached_chunks).toBeUndefined();
      expect(fresh.pcm).toEqual(ref.pcm);
      // resume at chunk 1, as the gateway does after a failover
      const offset =
        ref.pcm.length -
        (
          await collect(plainBus, {
            v: 1,
            request_id: "p3",
            voice: "af_heart",
            speed: 1,
            chunks: mixed.slice(1).map((c, i) => ({ ...c, index: i })),
          })
        ).pcm.length;
      const resumed = await collect(bus, {
        v: 1,
        request_id: "p4",
        voice: "af_heart",
        speed: 1,
        chunks: mixed,
        resume: { chunk: 1, offset },
      });
      expect(resumed.start.cached_chunks).toBe(2);
      expect(resumed.pcm).toEqual(ref.pcm.slice(offset));
    } finally {
      await plain.stop();
    }
  });

  test("streams asking for the same chunks at once share one inference of each", async () => {
    // the first stream's first chunk is held 400 ms once it runs (NODE_ENV=test hook), so the second comes meanwhile
    const burst = await startWorker("cache-burst", { SYNTH_TEST_PAUSE: "burst-a:0:400" });
    const { bus: burstBus, synth: w } = burst;
    try {
      const chunks = CHUNKS.map((c) => ({ ...c, tokens: [...c.tokens, 90] }));
      const req = { v: 1 as const, voice: "af_heart", speed: 1, chunks };
      const a = collect(burstBus, { ...req, request_id: "burst-a" });
      await new Promise((r) => setTimeout(r, 150));
      const b = await collect(burstBus, { ...req, request_id: "burst-b" });
      const first = await a;
      expect(b.start.cached_chunks).toBe(0); // nothing was cached when it started
      // yet each chunk was inferred once: the second waited for the first's first chunk, and whichever
      // stream reached a later chunk second took it from the other (from memory, once its slot came)
      expect(w.metrics.inferences).toBe(3);
      expect(first.end.cached_chunks! + b.end.cached_chunks!).toBe(3);
      expect(b.end.cached_chunks).toBeGreaterThanOrEqual(1);
      expect(b.pcm).toEqual(first.pcm);
    } finally {
      await burst.stop();
    }
  });

  test("another speed or voice is another chunk", async () => {
    const faster = await collect(bus, {
      v: 1,
      request_id: "s1",
      voice: "af_heart",
      speed: 1.25,
      chunks: CHUNKS,
    });
    expect(faster.start.cached_chunks).toBe(0);
    const mix = await collect(bus, {
      v: 1,
      request_id: "s2",
      voice: "af_heart(3)+am_adam(1)",
      speed: 1,
      chunks: CHUNKS,
    });
    expect(mix.start.cached_chunks).toBe(0);
  });

  test("metrics count served chunks, lookups and the memory tier", async () => {
    const text = await synth.metrics.render();
    expect(text).toMatch(/^kokoro_synth_cache_served_chunks_total [1-9]/m);
    expect(text).toMatch(/^kokoro_synth_cache_lookups_total\{tier="memory",result="hit"\} [1-9]/m);
    expect(text).toMatch(/^kokoro_synth_cache_memory_bytes [1-9]/m);
    expect(text).toMatch(/^kokoro_synth_cache_memory_entries [1-9]/m);
  });
});

describe.skipIf(!(await haveNats()))("replicas on real NATS share the cache (JetStream key-value)", () => {
  let bus: Bus;
  const replicas: Worker[] = [];
  const workers: SynthService[] = [];
  const bucket = `kokoro-chunks-test-${process.pid}-${Date.now().toString(36)}-share`;
  beforeAll(async () => {
    bus = new Bus(await NatsTransport.connect(TEST_NATS_URL, "cache-test"));
    for (const id of ["cache-a", "cache-b"]) {
      const r = await startWorker(id, { SYNTH_CACHE_BUCKET: bucket }, TEST_NATS_URL);
      replicas.push(r);
      workers.push(r.synth);
    }
    // both have opened the bucket (in the background, as a worker does)
    for (let i = 0; i < 200 && !workers.every((w) => w.cacheTiers().includes("JetStream")); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(workers.map((w) => w.cacheTiers())).toEqual([
      expect.stringContaining(bucket),
      expect.stringContaining(bucket),
    ]);
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await bus.close();
  });

  test("a chunk made by one replica is a hit on the other, byte-identical", async () => {
    const tokens = Array.from({ length: 3 }, (_, k) => ({
      index: k,
      tokens: [100 + k, 101 + k, 102 + k, (Date.now() % 50) + 20],
      pause_after_s: 0.1,
    }));
    const req = { v: 1 as const, voice: "af_heart", speed: 1, chunks: tokens };
    const onA = await collect(bus, { ...req, request_id: "n1", avoid_workers: ["cache-b"] });
    expect(onA.start.worker).toBe("cache-a");
    expect(onA.start.cached_chunks).toBe(0);
    const inferredOnB = workers[1]!.metrics.inferences;
    // the shared tier is written in the background: wait until it holds the stream's chunks
    let onB = await collect(bus, { ...req, request_id: "n2", avoid_workers: ["cache-a"] });
    for (let i = 0; i < 20 && onB.start.cached_chunks !== 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      onB = await collect(bus, { ...req, request_id: `n2-${i}`, avoid_workers: ["cache-a"] });
    }
    expect(onB.start.worker).toBe("cache-b");
    expect(onB.start.cached_chunks).toBe(3);
    expect(onB.pcm).toEqual(onA.pcm);
    expect(workers[1]!.metrics.inferences).toBe(inferredOnB);
    expect(await workers[1]!.metrics.render()).toMatch(
      /^kokoro_synth_cache_lookups_total\{tier="shared",result="hit"\} [1-9]/m,
    );
  });

  test("a worker with another model misses what the others made", async () => {
    const other = await startWorker(
      "cache-c",
      { SYNTH_CACHE_BUCKET: bucket, SYNTH_FIXTURE_WORK: "3" }, // a different model file, so a different sha256
      TEST_NATS_URL,
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      const req = { v: 1 as const, voice: "af_heart", speed: 1, chunks: CHUNKS };
      await collect(bus, { ...req, request_id: "m1", avoid_workers: ["cache-c"] });
      await new Promise((r) => setTimeout(r, 200));
      const onC = await collect(bus, { ...req, request_id: "m2", avoid_workers: ["cache-a", "cache-b"] });
      expect(onC.start.worker).toBe("cache-c");
      expect(onC.start.model_version).not.toBe(workers[0]!.status().model_version);
      expect(onC.start.cached_chunks).toBe(0);
    } finally {
      await other.stop();
    }
  });
});

describe("a NATS server without JetStream", () => {
  let nats: PrivateNats;
  let bus: Bus;
  let worker: Worker;
  beforeAll(async () => {
    nats = await startPrivateNats();
    bus = new Bus(await NatsTransport.connect(nats.url, "cache-nojs"));
    worker = await startWorker("cache-nojs", {}, nats.url);
  });
  afterAll(async () => {
    await worker.stop();
    await bus.close();
    await nats.stop();
  });

  test("the worker speaks, and caches in its own memory", async () => {
    const req = { v: 1 as const, voice: "af_heart", speed: 1, chunks: CHUNKS };
    const a = await collect(bus, { ...req, request_id: "j1" });
    const b = await collect(bus, { ...req, request_id: "j2" });
    expect(decodeTokens(a.pcm).tokens).toEqual(CHUNKS.flatMap((c) => c.tokens));
    expect(b.start.cached_chunks).toBe(3);
    expect(b.pcm).toEqual(a.pcm);
  });
});
