import { Counter, Gauge, Histogram, Registry, exposition } from "@kokoro-edge/runtime";
import type { DeadlineScheduler } from "./scheduler";
import type { CacheTier, LookupResult, StoreResult } from "./cache/chunk-cache";
import type { MemoryTier } from "./cache/memory-tier";

/**
 * A synth worker's metrics: inference time, real-time factor, its own queue,
 * streams. `kokoro_synth_queue_depth` is this worker's queue only; summed over
 * the synth pods it is the cluster's queue, which is what the autoscaler reads
 * (the gateway's view of the same total is `kokoro_gateway_synth_queue_depth`).
 */
export class SynthMetrics {
  readonly registry = new Registry();
  activeStreams = 0;
  inferences = 0;
  idleCollections = 0;
  private readonly inferenceSeconds = new Histogram({
    name: "kokoro_synth_inference_seconds",
    help: "Time to infer one chunk.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers: [this.registry],
  });
  private readonly audioSeconds = new Counter({
    name: "kokoro_synth_audio_seconds_total",
    help: "Audio produced.",
    registers: [this.registry],
  });
  private readonly count = new Counter({
    name: "kokoro_synth_inferences_total",
    help: "Chunks inferred by this worker.",
    registers: [this.registry],
  });
  private readonly firstChunkWait = new Histogram({
    name: "kokoro_synth_first_chunk_wait_seconds",
    help: "Time a new stream's first chunk waited for the engine.",
    buckets: [0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers: [this.registry],
  });
  // Counters start at 0, so an alert on their rate has a series before the first miss.
  private readonly lateChunks = new Counter({
    name: "kokoro_synth_late_chunks_total",
    help: "Later chunks ready only after their stream's audio had run out (the listener heard a gap).",
    registers: [this.registry],
  });
  private readonly underrun = new Counter({
    name: "kokoro_synth_underrun_seconds_total",
    help: "How long streams' audio had run out before their late chunks were ready.",
    registers: [this.registry],
  });
  private readonly collections = new Counter({
    name: "kokoro_synth_idle_collections_total",
    help: "Garbage collections run while the worker was idle.",
    registers: [this.registry],
  });

  /** Chunks served from the chunk cache (the hit ratio is this over it plus inferences). */
  cachedChunks = 0;
  private readonly cacheServed = new Counter({
    name: "kokoro_synth_cache_served_chunks_total",
    help: "Chunks served from the chunk cache instead of inferred (hit ratio: this / (this + kokoro_synth_inferences_total)).",
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: "kokoro_synth_cache_lookups_total",
    help: "Chunk cache lookups by tier and result (hit, miss, timeout, error, invalid: a damaged value, bypassed while the shared tier backs off).",
    labelNames: ["tier", "result"],
    registers: [this.registry],
  });
  private readonly cacheStores = new Counter({
    name: "kokoro_synth_cache_stores_total",
    help: "Chunks put in the chunk cache by tier and result (stored, error, too_large, skipped).",
    labelNames: ["tier", "result"],
    registers: [this.registry],
  });

  constructor(scheduler: DeadlineScheduler) {
    const self = this;
    new Gauge({
      name: "kokoro_synth_queue_depth",
      help: "Chunks waiting for this worker's engine.",
      registers: [this.registry],
      collect() {
        this.set(scheduler.depth);
      },
    });
    let busyCounted = 0;
    new Counter({
      name: "kokoro_synth_engine_busy_seconds_total",
      help: "Wall time this worker's engine had at least one inference running (its rate is the worker's utilization: near 1, streams fall behind).",
      registers: [this.registry],
      collect() {
        const busy = scheduler.busy() / 1000;
        this.inc(Math.max(0, busy - busyCounted));
        busyCounted = Math.max(busyCounted, busy);
      },
    });
    new Gauge({
      name: "kokoro_synth_active_streams",
      help: "Streams in progress on this worker.",
      registers: [this.registry],
      collect() {
        this.set(self.activeStreams);
      },
    });
  }

  observeInference(ms: number, audioS: number) {
    this.inferences++;
    this.count.inc();
    this.inferenceSeconds.observe(ms / 1000);
    this.audioSeconds.inc(audioS);
  }

  observeCacheServed() {
    this.cachedChunks++;
    this.cacheServed.inc();
  }

  observeCacheLookup(tier: CacheTier, result: LookupResult) {
    this.cacheLookups.inc({ tier, result });
  }

  observeCacheStore(tier: CacheTier, result: StoreResult) {
    this.cacheStores.inc({ tier, result });
  }

  /** The memory tier's size, entries and evictions, read at every scrape. */
  watchMemoryTier(tier: MemoryTier) {
    new Gauge({
      name: "kokoro_synth_cache_memory_bytes",
      help: "Audio held by this worker's chunk cache tier.",
      registers: [this.registry],
      collect() {
        this.set(tier.bytes);
      },
    });
    new Gauge({
      name: "kokoro_synth_cache_memory_entries",
      help: "Chunks held by this worker's chunk cache tier.",
      registers: [this.registry],
      collect() {
        this.set(tier.size);
      },
    });
    new Gauge({
      name: "kokoro_synth_cache_memory_evictions",
      help: "Chunks this worker's cache tier has dropped to stay within SYNTH_CACHE_MEMORY_MB, since it started.",
      registers: [this.registry],
      collect() {
        this.set(tier.evictions);
      },
    });
  }

  observeFirstChunkWait(ms: number) {
    this.firstChunkWait.observe(ms / 1000);
  }

  /** A later chunk was ready `lateMs` after its deadline (its stream's audio ran out). */
  observeLate(lateMs: number) {
    this.lateChunks.inc();
    this.underrun.inc(lateMs / 1000);
  }

  observeIdleCollection() {
    this.idleCollections++;
    this.collections.inc();
  }

  /** The whole /metrics body of a synth process (process metrics included). */
  render(): Promise<string> {
    return exposition(this.registry);
  }
}
