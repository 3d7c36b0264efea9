import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { detectSignature, type ModelSignature } from "./signature";
import { collectGarbage, startWorker } from "@kokoro-edge/runtime";
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
   * One copy of the weights for all threads (default true): the model is saved once in ORT format
   * beside it (or in the temp dir if its folder is read-only) and every thread's session runs from a
   * mapping of that file, so the lanes share its pages instead of each holding a copy.
   */
  sharedWeights?: boolean;
  /** "kokoro" or "fixture": only a label for headers and /v1/voices. */
  name: string;
  model: string;
  modelVersion: string;
  /** The model file's sha256 (the chunk cache's key). */
  sha256: string;
}

class InferenceThread {
  private worker = startWorker(new URL("./onnx-thread.ts", import.meta.url));
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
  get modelId() {
    return this.opts.sha256;
  }

  static async load(path: string, opts: OnnxEngineOptions): Promise<OnnxEngine> {
    const normal = Array.from({ length: Math.max(1, opts.threads) }, () => new InferenceThread());
    const urgent = Array.from({ length: Math.max(0, opts.urgentThreads ?? 0) }, () => new InferenceThread());
    const nice = urgent.length ? (opts.niceness ?? 0) : 0;
    // Threads inherit the nice value of the thread that creates them. A full collection here makes
    // the runtime start its process-wide GC helper threads now, from this thread, rather than later
    // from a low-priority inference thread (the main thread's collections would then wait on them).
    if (nice > 0) collectGarbage();
    try {
      const mapped = (opts.sharedWeights ?? true) ? await ortFormat(normal[0]!, path) : undefined;
      if (mapped) path = mapped;
      const replies = await Promise.all([
        ...normal.map((t) =>
          t.call({
            type: "load",
            mapped: !!mapped,
            path,
            intraOpThreads: opts.intraOpThreads,
            interOpThreads: opts.interOpThreads,
            nice,
          }),
        ),
        ...urgent.map((t) =>
          t.call({
            type: "load",
            mapped: !!mapped,
            path,
            intraOpThreads: opts.urgentIntraOpThreads ?? opts.intraOpThreads,
            interOpThreads: opts.interOpThreads,
            nice: 0,
          }),
        ),
      ]);
      const first = replies[0] as Extract<ThreadReply, { type: "loaded" }>;
      return new OnnxEngine(normal, urgent, detectSignature(first.inputNames, first.outputNames), opts);
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
  }
}

/**
 * The ORT-format copy of `path` (made once, by `thread`), named by the source's size and mtime so a
 * new model gets a new copy. Beside the model, or in the temp dir when that folder is read-only.
 */
async function ortFormat(thread: InferenceThread, path: string): Promise<string> {
  const st = statSync(path);
  const name = `${basename(path).replace(/\.onnx$/, "")}.${st.size}-${Math.round(st.mtimeMs)}.ort`;
  for (const dir of [dirname(path), join(tmpdir(), "kokoro-edge-ort")]) {
    const out = join(dir, name);
    if (existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.${Date.now()}.tmp.ort`;
    try {
      await thread.call({ type: "convert", path, out: tmp });
      renameSync(tmp, out);
      return out;
    } catch {
      rmSync(tmp, { force: true }); // a read-only folder: try the next one
    }
  }
  throw new Error(`could not save ${path} in ORT format`);
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
