import { availableParallelism } from "node:os";
import { z } from "zod";
import { boolVar, commonConfig, emptyToUndefined, intVar, numVar } from "@kokoro-edge/runtime";
import { Dtype } from "@kokoro-edge/proto";

export const configSchema = commonConfig.extend({
  /** Path to a Kokoro .onnx, or `fixture` for the generated test model; unset: the model the mirror holds. */
  KOKORO_MODEL: z.preprocess(emptyToUndefined, z.string().optional()),
  /** Which of the mirror's `onnx/` variants to load (fp32, fp16, q8, q8f16, uint8, uint8f16, q4, q4f16); unset: q8, or whichever the mirror holds. */
  KOKORO_DTYPE: z.preprocess(emptyToUndefined, Dtype.optional()),
  /** Folder of voice .bin files; unset: voices from the model mirror. */
  VOICES_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  HEALTH_PORT: intVar(8083, 0, 65535),
  /** The address the health port binds (as the gateway's HOST): 127.0.0.1 keeps it off the network. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Inferences run at once in this worker. */
  SYNTH_CONCURRENCY: intVar(1, 1, 64),
  /** onnxruntime threads per inference; default: the cores this worker has, shared by the concurrent inferences. */
  SYNTH_INTRA_OP_THREADS: intVar(0, 0, 256),
  SYNTH_INTER_OP_THREADS: intVar(1, 1, 64),
  /** Extra compute of the fixture model (benchmarks dial it to Kokoro's CPU cost). */
  SYNTH_FIXTURE_WORK: intVar(0, 0, 100_000),
  SYNTH_VOICE_CACHE: intVar(16, 1, 1000),
  /**
   * A first-chunk lane: one more inference thread, with its own session (sharing
   * the weights' pages with the others, see SYNTH_SHARED_WEIGHTS), at normal CPU priority, that only new
   * streams' first chunks use; the other threads run at nice SYNTH_NICE. A
   * first chunk then takes the cores from a running later chunk at once
   * instead of waiting for it to finish.
   */
  SYNTH_FIRST_CHUNK_LANE: boolVar(true),
  /**
   * Every inference thread runs the model from one mapping of an ORT-format copy (saved once beside the
   * model, or under DATA_DIR/models/ort), so the weights are in memory once, not once per session. On
   * Bun; elsewhere, or if the copy fails (logged), and with false: each session loads its own.
   */
  SYNTH_SHARED_WEIGHTS: boolVar(true),
  /** Nice value (CPU priority, 0-19) of the inference threads for later chunks, with a first-chunk lane. */
  SYNTH_NICE: intVar(10, 0, 19),
  /** Chunks a stream may infer ahead of the one waiting for its reader's credit (0 or 1). */
  SYNTH_LOOKAHEAD: intVar(1, 0, 1),
  /** While several streams share the worker, start chunks that are not due soon just in time. */
  SYNTH_JUST_IN_TIME: boolVar(true),
  /** A new stream's first chunk does not overtake a later chunk that would then miss its playback deadline. */
  SYNTH_GUARD_PLAYBACK: boolVar(true),
  /**
   * The longest a new stream's first chunk waits for the playback guard, in
   * multiples of its own expected inference time: then it runs even if a
   * running stream falls behind. So time to first audio stays bounded, over
   * capacity too (there it does not wait where waiting would save no one:
   * see DeadlineScheduler.mustWait). 8: when streams bunch up, a new one may
   * wait up to about eight first chunks' time (on 2 cores, 8 x a first chunk
   * of 150-160 ms with the bench's fixture at work 50, or of 240-270 ms at
   * Kokoro's CPU cost: 1.2-2.1 s) rather than make a stream that is playing
   * run dry.
   */
  SYNTH_FIRST_CHUNK_MAX_HOLD: numVar(8, 0, 100),
  /** Collect garbage this long after the last stream ends (0: never), so resident memory stays flat. */
  SYNTH_IDLE_GC_MS: intVar(300, 0, 600_000),
  SYNTH_SHUTDOWN_GRACE_MS: intVar(15_000, 0, 600_000),
  /**
   * The chunk cache (cache/chunk-cache.ts): a chunk already made, with the same
   * model, style, speed and tokens, is served instead of inferred, byte for byte.
   */
  SYNTH_CACHE: boolVar(true),
  /** This worker's own tier, in MiB of audio held (0: none). */
  SYNTH_CACHE_MEMORY_MB: intVar(32, 0, 65_536),
  /** The tier every replica shares: a JetStream key-value bucket (on NATS only). */
  SYNTH_CACHE_SHARED: boolVar(true),
  SYNTH_CACHE_SHARED_MB: intVar(1024, 1, 10_000_000),
  SYNTH_CACHE_TTL_HOURS: numVar(168, 0.01, 87_600),
  SYNTH_CACHE_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only (a JetStream bucket name)")
    .default("kokoro-chunks"),
  /** A shared-tier lookup slower than this is a miss (the stream does not wait longer for it). */
  SYNTH_CACHE_LOOKUP_MS: intVar(30, 1, 10_000),
  /** Test hook, honoured only when NODE_ENV=test: `<request-id prefix>:<chunk>:<ms>` holds that chunk's inference (test-pause.ts). */
  SYNTH_TEST_PAUSE: z.preprocess(emptyToUndefined, z.string().optional()),
  /**
   * What to serve when no Kokoro model can be had: `espeak` (Debian's espeak-ng,
   * intelligible but robotic) or `none`. Default: espeak in the embedded setup
   * (no NATS_URL), none otherwise.
   */
  SYNTH_FALLBACK_ENGINE: z.preprocess(emptyToUndefined, z.enum(["espeak", "none"]).optional()),
});
export type SynthConfig = z.infer<typeof configSchema>;

export function intraOpThreads(config: SynthConfig): number {
  if (config.SYNTH_INTRA_OP_THREADS > 0) return config.SYNTH_INTRA_OP_THREADS;
  return Math.max(1, Math.floor(availableParallelism() / config.SYNTH_CONCURRENCY));
}

/** onnxruntime threads of the first-chunk lane: all the cores, which it takes from the other lane while it runs. */
export function firstChunkLaneThreads(config: SynthConfig): number {
  return config.SYNTH_INTRA_OP_THREADS > 0 ? config.SYNTH_INTRA_OP_THREADS : availableParallelism();
}

/** The fallback engine in force: explicit, or espeak only in the embedded setup. */
export function fallbackEngine(config: SynthConfig): "espeak" | "none" {
  return config.SYNTH_FALLBACK_ENGINE ?? (config.NATS_URL ? "none" : "espeak");
}
