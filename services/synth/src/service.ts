import { join } from "node:path";
import {
  contracts,
  KOKORO_V1_VOICES,
  MISAKI_REPO,
  queues,
  type ServiceStatus,
  type SynthVoicesResult,
} from "@kokoro-edge/proto";
import { describeVoice } from "./voice-catalog";
import { instanceId, openBlobStore, type Bus, type Logger, type Subscription } from "@kokoro-edge/runtime";
import { fallbackEngine, firstChunkLaneThreads, intraOpThreads, type SynthConfig } from "./config";
import { OnnxEngine } from "./engine/onnx-engine";
import { EspeakEngine } from "./engine/espeak-engine";
import type { Engine } from "./engine/types";
import { chooseModel, NoModelError } from "./model-source";
import { DeadlineScheduler } from "./scheduler";
import { InferencePace } from "./pace";
import { createStreamHandler } from "./stream-handler";
import { DirVoiceSource, MirrorVoiceSource, VoiceStore } from "./voices";
import { SynthMetrics } from "./metrics";
import { IdleCompactor, compactMemory } from "./idle-compactor";
import { parseTestPause } from "./test-pause";
import { ChunkCache } from "./cache/chunk-cache";
import { MemoryTier } from "./cache/memory-tier";

export interface SynthService {
  status(): ServiceStatus;
  /** Resolves once the model is loaded and warmed up (or rejects with why it cannot be). */
  ready: Promise<void>;
  metrics: SynthMetrics;
  /** The chunk cache's tiers in words ("off" without one); the shared tier joins once its bucket is open. */
  cacheTiers(): string;
  stop(): Promise<void>;
}

/** First wait before asking for a model again, doubling up to MAX_RETRY_MS. */
const RETRY_MS = 15_000;
const MAX_RETRY_MS = 300_000;
/** While the mirror's first sync runs. */
const WAITING_RETRY_MS = 1_000;
/**
 * The guard plays later chunks forward at this many times their expected
 * run time (see SchedulerOptions.costFactor). Measured: in a bunch of five
 * new streams on 2 cores, later chunks ran up to ~20 % longer than expected,
 * and with exact estimates a stream ran dry by 50 ms.
 */
export const PLAN_COST_FACTOR = 1.2;

/**
 * A synth worker: loads the model, warms it up, and only then joins the
 * `synth` queue group, so requests never wait on a replica that cannot serve.
 */
export interface SynthDeps {
  bus: Bus;
  log: Logger;
  config: SynthConfig;
  /**
   * Also collect this thread's heap when idle (default true). The one-process
   * stack turns it off: there the heap holds the gateway's and g2p's lexicons,
   * and a forced collection of it takes 60-90 ms, too long to risk in front
   * of a request; only the inference threads are collected.
   */
  collectMainThread?: boolean;
}

export async function startSynth(deps: SynthDeps): Promise<SynthService> {
  const { bus, config } = deps;
  const instance = instanceId("synth", config.INSTANCE_ID);
  const log = deps.log.child({ instance });
  let active = 0;
  const pace = new InferencePace();
  const scheduler = new DeadlineScheduler({
    concurrency: config.SYNTH_CONCURRENCY,
    urgentSlots: config.SYNTH_FIRST_CHUNK_LANE ? 1 : 0,
    contended: () => active > 1,
    guardPlayback: config.SYNTH_GUARD_PLAYBACK,
    maxHold: config.SYNTH_FIRST_CHUNK_MAX_HOLD,
    costFactor: PLAN_COST_FACTOR,
  });
  const voices = new VoiceStore(
    config.VOICES_DIR ? new DirVoiceSource(config.VOICES_DIR) : new MirrorVoiceSource(bus),
    config.SYNTH_VOICE_CACHE,
  );
  const metrics = new SynthMetrics(scheduler);
  const cache = config.SYNTH_CACHE ? makeCache(deps, metrics, log) : undefined;
  let engine: Engine | undefined;
  let detail = "loading model";
  let streamSub: Subscription | undefined;
  let stopping = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let idle: (() => void) | undefined;

  const compactor = new IdleCompactor(
    config.SYNTH_IDLE_GC_MS,
    async () => {
      const t0 = performance.now();
      await compactMemory(engine, deps.collectMainThread ?? true);
      metrics.observeIdleCollection();
      log.debug("idle collection", { ms: Math.round(performance.now() - t0) });
    },
    (err) => log.warn("idle collection failed", { error: err.message }),
  );
  const handler = createStreamHandler({
    pace,
    lookahead: config.SYNTH_LOOKAHEAD > 0,
    justInTime: config.SYNTH_JUST_IN_TIME,
    engine: () => engine,
    notReadyReason: () => detail,
    voices,
    scheduler,
    cache,
    log,
    instance,
    onStreamStart: () => {
      active++;
      metrics.activeStreams = active;
      compactor.busy();
    },
    onStreamEnd: () => {
      active--;
      metrics.activeStreams = active;
      if (active === 0) {
        idle?.();
        compactor.idle();
      }
    },
    onInference: (ms, s) => metrics.observeInference(ms, s),
    onCacheServed: () => metrics.observeCacheServed(),
    onFirstChunkWait: (ms) => metrics.observeFirstChunkWait(ms),
    onLate: (ms) => metrics.observeLate(ms),
    testPause: parseTestPause(config.SYNTH_TEST_PAUSE, process.env.NODE_ENV),
  });

  const status = (): ServiceStatus => ({
    v: 1,
    service: "synth",
    instance,
    ready: !!engine && !!streamSub,
    detail,
    engine: engine?.name,
    model: engine?.model,
    model_version: engine?.modelVersion,
    queue_depth: scheduler.depth,
    active_streams: active,
  });

  const statusSub = bus.serveJson(contracts.synth.status, () => status());
  const voicesSub = bus.serveJson(
    contracts.synth.voices,
    async (): Promise<SynthVoicesResult> => {
      const name = engine?.name ?? "none";
      let list = await voices.list();
      // the fallback needs no packs: Kokoro's voice names stand for a language and a gender
      if (engine?.usesStyle === false) list = [...new Set([...list, ...KOKORO_V1_VOICES])].sort();
      return { v: 1, engine: name, voices: list.map((v) => describeVoice(v, name)) };
    },
    { queue: queues.synth },
  );

  async function load(): Promise<void> {
    const choice = await chooseModel(config, bus);
    if (engine && engine.modelVersion === choice.version) return;
    log.info("loading model", { path: choice.path, engine: choice.engine, version: choice.version });
    const next = await OnnxEngine.load(choice.path, {
      threads: config.SYNTH_CONCURRENCY,
      intraOpThreads: intraOpThreads(config),
      interOpThreads: config.SYNTH_INTER_OP_THREADS,
      urgentThreads: config.SYNTH_FIRST_CHUNK_LANE ? 1 : 0,
      urgentIntraOpThreads: firstChunkLaneThreads(config),
      niceness: config.SYNTH_NICE,
      sharedWeights: config.SYNTH_SHARED_WEIGHTS,
      ortDir: join(config.DATA_DIR, "models", "ort"),
      name: choice.engine,
      model: choice.model,
      modelVersion: choice.version,
      sha256: choice.sha256,
    });
    if (next.sharedWeightsError)
      log.warn("weights not shared between the inference threads: each loaded its own copy", {
        reason: next.sharedWeightsError,
      });
    // Warm-up: the first run allocates and optimises; users should not pay for it.
    const t0 = performance.now();
    await next.warmUp();
    log.info("model ready", {
      engine: next.name,
      model: next.model,
      shared_weights: next.sharedWeights,
      warmup_ms: Math.round(performance.now() - t0),
    });
    const old = engine;
    engine = next;
    detail = `${next.name} model ${next.model} (${next.modelVersion}) loaded`;
    if (old)
      setTimeout(
        () => void old.close().catch((err) => log.warn("closing the old engine failed", { err })),
        60_000,
      ); // streams in flight keep their engine
    if (!streamSub && !stopping) streamSub = serve();
  }

  /**
   * Serve the stream subject. A gateway in this same process (the one-process stack on NATS) gets
   * this worker directly while it is idle, with no NATS hop to the first audio; a busy worker, or a
   * request that asks for another replica (a hedge), goes through the queue group as usual.
   */
  function serve() {
    return bus.serveStream(contracts.synth.stream, handler, {
      local: (open) =>
        active === 0 &&
        scheduler.depth === 0 &&
        !(open as { avoid_workers?: string[] }).avoid_workers?.includes(instance),
    });
  }

  let markReady!: () => void;
  let markFailed!: (err: Error) => void;
  const ready = new Promise<void>((res, rej) => ((markReady = res), (markFailed = rej)));
  ready.catch(() => {});

  /** No model: serve the espeak-ng fallback if configured and installed (the model is still retried). */
  async function fallBack(reason: string) {
    if (engine || fallbackEngine(config) !== "espeak") return;
    const espeak = await EspeakEngine.create();
    if (!espeak) {
      detail = `${reason}; the espeak-ng fallback is enabled but espeak-ng is not installed`;
      return;
    }
    engine = espeak;
    detail = `${reason}; serving the espeak-ng ${espeak.modelVersion} fallback engine until a Kokoro model can be had`;
    log.debug("serving the fallback engine", { detail });
    if (!streamSub && !stopping) streamSub = serve();
    markReady();
  }

  /** Say a problem once: the same one again (numbers aside) only at debug level. */
  let lastSaid = "";
  const sayOnce = (level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}) => {
    const key = msg.replace(/\d+(\.\d+)?/g, "#");
    (key === lastSaid ? log.debug : log[level])(msg, fields);
    lastSaid = key;
  };

  void (async function loadWithRetry(): Promise<void> {
    // Retries back off (the mirror announces a new version at once anyway).
    let wait = RETRY_MS;
    while (!stopping) {
      try {
        await load();
        markReady();
        return;
      } catch (err) {
        const reason =
          err instanceof NoModelError ? err.message : `model failed to load: ${(err as Error).message}`;
        if (config.KOKORO_MODEL) {
          detail = reason;
          log.error("no model loaded", { detail });
          markFailed(new Error(detail)); // an explicit model that fails is a configuration error
          return;
        }
        if (engine?.name !== "espeak") detail = reason;
        const waiting = err instanceof NoModelError && err.waiting;
        const fallback =
          fallbackEngine(config) === "espeak" && (!engine || engine.name === "espeak")
            ? "; speaking with espeak-ng meanwhile"
            : "";
        if (waiting) sayOnce("info", reason);
        else sayOnce(engine || fallback ? "warn" : "error", `${reason}${fallback}`);
        await fallBack(reason);
        // While the mirror is fetching, ask again soon; after a failure, back off.
        await new Promise<void>((r) => (retry = setTimeout(r, waiting ? WAITING_RETRY_MS : wait)));
        if (!waiting) wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
    }
  })();

  // A new verified version on the mirror: load it without a restart.
  const updatedSub = config.KOKORO_MODEL
    ? undefined
    : bus.onEvent(contracts.mirror.updated, (ev) => {
        // (the mirror also keeps pinned files such as misaki's lexicons: not a model)
        if (ev.version.repo === MISAKI_REPO) return;
        log.info("mirror has a new version", { repo: ev.version.repo, commit: ev.version.commit });
        load().catch((err) =>
          (err instanceof NoModelError && err.waiting ? log.debug : log.error)(
            "reload after mirror update failed",
            { error: (err as Error).message },
          ),
        );
      });

  return {
    status,
    ready,
    metrics,
    cacheTiers: () => cache?.tiers || "off",
    async stop() {
      stopping = true;
      clearTimeout(retry);
      const compacting = compactor.stop();
      streamSub?.unsubscribe(); // stop taking work; the queue group sends new streams elsewhere
      streamSub = undefined;
      updatedSub?.unsubscribe();
      if (active > 0) {
        log.info("draining streams", { active });
        await Promise.race([
          new Promise<void>((r) => (idle = r)),
          new Promise((r) => setTimeout(r, config.SYNTH_SHUTDOWN_GRACE_MS)),
        ]);
      }
      statusSub.unsubscribe();
      voicesSub.unsubscribe();
      await compacting;
      await engine?.close();
      engine = undefined;
    },
  };
}

/**
 * The chunk cache: this worker's memory tier at once, and on NATS the shared
 * JetStream tier as soon as its bucket is open (without it, the memory tier
 * alone; a JetStream that is not enabled is said once, not a failure).
 */
function makeCache(deps: SynthDeps, metrics: SynthMetrics, log: Logger): ChunkCache {
  const { config, bus } = deps;
  const memory =
    config.SYNTH_CACHE_MEMORY_MB > 0 ? new MemoryTier(config.SYNTH_CACHE_MEMORY_MB * 2 ** 20) : undefined;
  if (memory) metrics.watchMemoryTier(memory);
  const cache = new ChunkCache({
    memory,
    lookupMs: config.SYNTH_CACHE_LOOKUP_MS,
    log,
    onLookup: (tier, result) => metrics.observeCacheLookup(tier, result),
    onStore: (tier, result) => metrics.observeCacheStore(tier, result),
  });
  if (config.SYNTH_CACHE_SHARED && bus.kind === "nats")
    openBlobStore(bus, {
      bucket: config.SYNTH_CACHE_BUCKET,
      maxBytes: config.SYNTH_CACHE_SHARED_MB * 2 ** 20,
      ttlMs: Math.round(config.SYNTH_CACHE_TTL_HOURS * 3_600_000),
    })
      .then((store) => {
        if (!store) return;
        cache.attachShared(store);
        log.info("chunk cache", { tiers: cache.tiers });
      })
      .catch((err: Error) =>
        log.warn(
          "the shared chunk cache is not available (is JetStream enabled on the NATS server?); this worker caches in memory only",
          {
            error: err.message,
          },
        ),
      );
  return cache;
}
