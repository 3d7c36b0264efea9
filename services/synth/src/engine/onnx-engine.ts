import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { ortFormat } from "./ort-format";
import { detectSignature, type ModelSignature } from "./signature";
import { canMapFiles, collectGarbage, mapFile, startWorker, type MappedFile } from "@kokoro-edge/runtime";
import type { ThreadReply, ThreadRequest } from "./onnx-thread";
import type { Engine, InferenceInput, InferenceResult, Lane } from "./types";

export interface OnnxEngineOptions {
  /** Inference threads, each with its own session (the worker's SYNTH_CONCURRENCY). */
  threads: number;
  intraOpThreads: number;
  interOpThreads: number;
  /**
   * The first-chunk lane: this many more threads (0 or 1), each with its own
   * session, at normal CPU priority, while the `threads` above run at nice
   * `niceness`. A first chunk then takes the cores from a running later chunk.
   */
  urgentThreads?: number;
  /** onnxruntime threads per first-chunk-lane inference (default: intraOpThreads). */
  urgentIntraOpThreads?: number;
  /** Nice value (0-19) of the normal lane's threads when there is a first-chunk lane. */
  niceness?: number;
  /**
   * One copy of the weights for all threads (default true, on Bun): the model is saved once in ORT
   * format beside it (or in `ortDir` if its folder is read-only), mapped once, and every thread's
   * session runs from that mapping, so the lanes share its pages instead of each holding a copy.
   */
  sharedWeights?: boolean;
  /** Where the ORT-format copy goes when the model's folder is read-only (default: the temp dir). */
  ortDir?: string;
  /** How long making the ORT-format copy may take before the threads load the model themselves (default 300 s). */
  ortTimeoutMs?: number;
  /** "kokoro" or "fixture": only a label for headers and /v1/voices. */
  name: string;
  model: string;
  modelVersion: string;
  /** The model file's sha256 (the chunk cache's key). */
  sha256: string;
}

class InferenceThread {
  private worker = startWorker(new URL("./onnx-thread.ts", import.meta.url), { small: true });
  private pending = new Map<number, { resolve: (r: ThreadReply) => void; reject: (e: Error) => void }>();
  private waiter?: { resolve: (r: ThreadReply) => void; reject: (e: Error) => void };
  private nextId = 1;
  dead?: Error;

  constructor() {
    this.worker.onmessage = (e: MessageEvent<ThreadReply>) => {
      const msg = e.data;
      const id = msg.type === "result" || msg.type === "error" ? msg.id : undefined;
      const p = id !== undefined ? this.pending.get(id) : this.waiter;
      if (id !== undefined) this.pending.delete(id);
      else this.waiter = undefined;
      if (!p) return;
      if (msg.type === "error") p.reject(new Error(msg.message));
      else p.resolve(msg);
    };
    this.worker.onerror = (e) => this.fail(new Error(`inference thread crashed: ${e.message}`));
  }

  call(msg: ThreadRequest): Promise<ThreadReply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      if (msg.type === "infer") this.pending.set(msg.id, { resolve, reject });
      else this.waiter = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  newId() {
    return this.nextId++;
  }

  terminate() {
    this.worker.terminate();
  }

  private fail(err: Error) {
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.waiter?.reject(err);
  }
}

/**
 * A Kokoro-signature ONNX model on a pool of inference threads. The model's
 * input and output names are read from the session, so real weights and the
 * fixture model take exactly the same path.
 */
export class OnnxEngine implements Engine {
  readonly sampleRate = SAMPLE_RATE;
  private readonly lanes: Record<Lane, ThreadPool>;

  private readonly threads: InferenceThread[];
  /** The mapped model every thread's session runs from (kept alive here until close). */
  private mapping?: MappedFile;
  /** Why the weights are not shared although they were asked to be (undefined: shared, or not asked). */
  sharedWeightsError?: string;

  private constructor(
    normal: InferenceThread[],
    urgent: InferenceThread[],
    readonly signature: ModelSignature,
    private readonly opts: OnnxEngineOptions,
  ) {
    this.threads = [...normal, ...urgent];
    const pool = new ThreadPool(normal);
    // Without a first-chunk lane, first chunks share the normal one.
    this.lanes = { normal: pool, urgent: urgent.length ? new ThreadPool(urgent) : pool };
  }

  get name() {
    return this.opts.name;
  }
  get model() {
    return this.opts.model;
  }
  get modelVersion() {
    return this.opts.modelVersion;
  }
  /** Whether every thread's session runs from one mapping of the weights (else each loaded its own). */
  get sharedWeights() {
    return this.mapping !== undefined;
  }
  get modelId() {
    return this.opts.sha256;
  }

  /**
   * Loads the model on every thread. With shared weights (the default on Bun) the threads' sessions
   * run from one mapping of an ORT-format copy; if that copy cannot be made or read, the model is
   * loaded once per thread instead and `sharedWeightsError` says why (the service logs it).
   */
  static async load(path: string, opts: OnnxEngineOptions): Promise<OnnxEngine> {
    if (!(opts.sharedWeights ?? true) || !canMapFiles) return OnnxEngine.loadThreads(path, opts);
    try {
      const copy = await ortFormat(
        path,
        opts.sha256,
        opts.ortDir ?? join(tmpdir(), "kokoro-edge-ort"),
        opts.ortTimeoutMs,
      );
      return await OnnxEngine.loadThreads(path, opts, await mapFile(copy));
    } catch (err) {
      const engine = await OnnxEngine.loadThreads(path, opts);
      engine.sharedWeightsError = (err as Error).message;
      return engine;
    }
  }

  private static async loadThreads(path: string, opts: OnnxEngineOptions, mapping?: MappedFile) {
    const normal = Array.from({ length: Math.max(1, opts.threads) }, () => new InferenceThread());
    const urgent = Array.from({ length: Math.max(0, opts.urgentThreads ?? 0) }, () => new InferenceThread());
    const nice = urgent.length ? (opts.niceness ?? 0) : 0;
    // Threads inherit the nice value of the thread that creates them. A full collection here makes
    // the runtime start its process-wide GC helper threads now, from this thread, rather than later
    // from a low-priority inference thread (the main thread's collections would then wait on them).
    if (nice > 0) collectGarbage();
    try {
      const mapped = mapping && { address: mapping.address, length: mapping.length };
      const load = (t: InferenceThread, intraOpThreads: number, nice: number) =>
        t.call({ type: "load", mapped, path, intraOpThreads, interOpThreads: opts.interOpThreads, nice });
      // Every thread's load settles before a failure is reported: a thread still creating its session
      // reads the mapping, which the caller drops (and the runtime unmaps) once this rejects.
      const settled = await Promise.allSettled([
        ...normal.map((t) => load(t, opts.intraOpThreads, nice)),
        ...urgent.map((t) => load(t, opts.urgentIntraOpThreads ?? opts.intraOpThreads, 0)),
      ]);
      const failed = settled.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      const replies = settled.map((r) => (r as PromiseFulfilledResult<ThreadReply>).value);
      const first = replies[0] as Extract<ThreadReply, { type: "loaded" }>;
      const engine = new OnnxEngine(
        normal,
        urgent,
        detectSignature(first.inputNames, first.outputNames),
        opts,
      );
      engine.mapping = mapping;
      return engine;
    } catch (err) {
      for (const t of [...normal, ...urgent]) t.terminate();
      throw err;
    }
  }

  async infer(
    { tokens }: InferenceInput,
    style: Float32Array,
    speed: number,
    lane: Lane = "normal",
  ): Promise<InferenceResult> {
    const r = await this.lanes[lane].withThread((t) =>
      t.call(inferRequest(t, this.signature, tokens, style, speed)),
    );
    if (r.type !== "result") throw new Error("unexpected reply from the inference thread");
    return { audio: r.audio, durations: r.durations };
  }

  /** Run the same tiny input on every thread (first runs allocate and optimise). */
  async warmUp(): Promise<void> {
    const pools = new Set(Object.values(this.lanes));
    const run = (t: InferenceThread) =>
      t.call(inferRequest(t, this.signature, [50, 83, 54, 156, 57, 135], new Float32Array(256), 1));
    await Promise.all([...pools].flatMap((pool) => pool.threads.map(() => pool.withThread(run))));
  }

  /** Collect garbage on every idle inference thread (a busy one is left alone: it is not idle). */
  async compact(): Promise<void> {
    for (const pool of new Set(Object.values(this.lanes))) await pool.compactIdle();
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.call({ type: "close" }).catch(() => undefined)));
    for (const t of this.threads) t.terminate();
    this.mapping = undefined;
  }
}

function inferRequest(
  t: InferenceThread,
  s: ModelSignature,
  tokens: number[],
  style: Float32Array,
  speed: number,
): ThreadRequest {
  return {
    type: "infer",
    id: t.newId(),
    names: { tokens: s.tokens, style: s.style, speed: s.speed, audio: s.audio, durations: s.durations },
    tokens,
    style,
    speed,
  };
}

/** Inference threads of one lane: a run takes an idle one or waits for one. */
class ThreadPool {
  private idle: InferenceThread[];
  private waiting: ((t: InferenceThread) => void)[] = [];

  constructor(readonly threads: InferenceThread[]) {
    this.idle = [...threads];
  }

  acquire(): Promise<InferenceThread> {
    const t = this.idle.pop();
    if (t) return Promise.resolve(t);
    return new Promise((r) => this.waiting.push(r));
  }

  release(t: InferenceThread) {
    if (t.dead) return; // a crashed thread is not reused
    const next = this.waiting.shift();
    if (next) next(t);
    else this.idle.push(t);
  }

  async withThread<T>(fn: (t: InferenceThread) => Promise<T>): Promise<T> {
    const t = await this.acquire();
    try {
      return await fn(t);
    } finally {
      this.release(t);
    }
  }

  async compactIdle(): Promise<void> {
    for (const thread of this.threads) {
      const i = this.idle.indexOf(thread);
      if (i < 0) continue;
      this.idle.splice(i, 1);
      try {
        await thread.call({ type: "compact" });
      } finally {
        this.release(thread);
      }
    }
  }
}
