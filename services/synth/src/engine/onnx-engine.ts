import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { detectSignature, type ModelSignature } from "./signature";
import type { ThreadReply, ThreadRequest } from "./onnx-thread";
import type { Engine, InferenceInput, InferenceResult } from "./types";

export interface OnnxEngineOptions {
  /** Inference threads, each with its own session (the worker's SYNTH_CONCURRENCY). */
  threads: number;
  intraOpThreads: number;
  interOpThreads: number;
  /** "kokoro" or "fixture": only a label for headers and /v1/voices. */
  name: string;
  model: string;
  modelVersion: string;
}

class InferenceThread {
  private worker = new Worker(new URL("./onnx-thread.ts", import.meta.url).href);
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
  private idle: InferenceThread[];
  private waiting: ((t: InferenceThread) => void)[] = [];

  private constructor(
    private readonly threads: InferenceThread[],
    readonly signature: ModelSignature,
    private readonly opts: OnnxEngineOptions,
  ) {
    this.idle = [...threads];
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

  static async load(path: string, opts: OnnxEngineOptions): Promise<OnnxEngine> {
    const threads = Array.from({ length: Math.max(1, opts.threads) }, () => new InferenceThread());
    try {
      const replies = await Promise.all(threads.map((t) => t.call({ type: "load", path, intraOpThreads: opts.intraOpThreads, interOpThreads: opts.interOpThreads })));
      const first = replies[0] as Extract<ThreadReply, { type: "loaded" }>;
      return new OnnxEngine(threads, detectSignature(first.inputNames, first.outputNames), opts);
    } catch (err) {
      for (const t of threads) t.terminate();
      throw err;
    }
  }

  async infer({ tokens }: InferenceInput, style: Float32Array, speed: number): Promise<InferenceResult> {
    const thread = await this.acquire();
    try {
      const s = this.signature;
      const r = await thread.call({
        type: "infer",
        id: thread.newId(),
        names: { tokens: s.tokens, style: s.style, speed: s.speed, audio: s.audio, durations: s.durations },
        tokens,
        style,
        speed,
      });
      if (r.type !== "result") throw new Error("unexpected reply from the inference thread");
      return { audio: r.audio, durations: r.durations };
    } finally {
      this.release(thread);
    }
  }

  /** Run the same tiny input on every thread (first runs allocate and optimise). */
  async warmUp(): Promise<void> {
    await Promise.all(this.threads.map(() => this.infer({ tokens: [50, 83, 54, 156, 57, 135] }, new Float32Array(256), 1)));
  }

  /** Collect garbage on every idle inference thread (a busy one is left alone: it is not idle). */
  async compact(): Promise<void> {
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

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.call({ type: "close" }).catch(() => undefined)));
    for (const t of this.threads) t.terminate();
  }

  private acquire(): Promise<InferenceThread> {
    const t = this.idle.pop();
    if (t) return Promise.resolve(t);
    return new Promise((r) => this.waiting.push(r));
  }

  private release(t: InferenceThread) {
    if (t.dead) return; // a crashed thread is not reused
    const next = this.waiting.shift();
    if (next) next(t);
    else this.idle.push(t);
  }
}
