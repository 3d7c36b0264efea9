/**
 * Lossy encoding (MP3, Opus, FLAC) on worker threads. A JS LAME encoder costs
 * about 1.2 % of a core per real-time stream, and a client that does not read
 * still gets its socket buffer filled: hundreds of them made the event loop
 * encode for seconds at a time (issue 20, finding 5: /healthz waited 11.9 s and
 * another request 37 s with 200 non-reading MP3 clients). Here the event loop
 * only hands buffers over; each stream has at most one call in flight (its
 * body pulls the next chunk only when the last is encoded), and a thread
 * serves its streams' calls in arrival order, so encoding is bounded by the
 * streams' own pace and fair between them.
 */
import { startWorker } from "@kokoro-edge/runtime";
import type { AudioFormat, EncoderOptions } from "./types";

export type PoolRequest =
  | { op: "open"; id: number; call: number; format: AudioFormat; options: EncoderOptions }
  | { op: "push"; id: number; call: number; pcm: Int16Array }
  | { op: "end" | "close"; id: number; call: number };
export type PoolReply =
  | { id: number; call: number; ok: true; bytes: Uint8Array }
  | { id: number; call: number; ok: false; message: string };

type WithoutIds<T> = T extends unknown ? Omit<T, "id" | "call"> : never;

/** One stream's encoder on a pool thread: the StreamEncoder calls, awaited. */
export interface PooledEncoder {
  readonly format: AudioFormat;
  readonly contentType: string;
  start(): Promise<Uint8Array>;
  push(pcm: Int16Array): Promise<Uint8Array>;
  end(): Promise<Uint8Array>;
  /** The stream was cancelled: drop its encoder (no reply awaited). */
  close(): void;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  streams: number;
}

export class EncoderPool {
  private readonly threads: Thread[] = [];
  private readonly waiting = new Map<
    string,
    { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private nextCall = 1;
  private stopped = false;

  constructor(private readonly size: number) {}

  private thread(): Thread {
    if (this.threads.length < this.size) {
      const worker = startWorker(new URL("./pool-worker.ts", import.meta.url));
      let ready!: () => void;
      const t: Thread = { worker, ready: new Promise<void>((r) => (ready = r)), streams: 0 };
      worker.onmessage = (e: MessageEvent<PoolReply | { ready: true }>) => {
        const m = e.data;
        if ("ready" in m) return ready();
        const key = `${m.id}:${m.call}`;
        const w = this.waiting.get(key);
        if (!w) return;
        this.waiting.delete(key);
        if (m.ok) w.resolve(m.bytes);
        else w.reject(new Error(`encoding failed: ${m.message}`));
      };
      worker.onerror = (e: ErrorEvent) => {
        for (const [key, w] of this.waiting)
          (w.reject(new Error(`an encoder thread failed: ${e.message}`)), this.waiting.delete(key));
      };
      this.threads.push(t);
      return t;
    }
    // the thread with the fewest streams
    return this.threads.reduce((a, b) => (b.streams < a.streams ? b : a));
  }

  open(format: AudioFormat, contentType: string, options: EncoderOptions): PooledEncoder {
    const t = this.thread();
    t.streams++;
    const id = this.nextId++;
    let closed = false;
    const call = (req: WithoutIds<PoolRequest>, transfer: Transferable[] = []): Promise<Uint8Array> =>
      t.ready.then(
        () =>
          new Promise<Uint8Array>((resolve, reject) => {
            if (this.stopped) return resolve(new Uint8Array(0)); // the gateway is stopping: its streams end anyway
            const n = this.nextCall++;
            this.waiting.set(`${id}:${n}`, { resolve, reject });
            t.worker.postMessage({ ...req, id, call: n } as PoolRequest, transfer);
          }),
      );
    const release = () => {
      if (closed) return;
      closed = true;
      t.streams--;
    };
    return {
      format,
      contentType,
      start: () => call({ op: "open", format, options }),
      push: (pcm) => {
        const copy = pcm.slice(); // ours to transfer (the caller may reuse its buffer)
        return call({ op: "push", pcm: copy }, [copy.buffer]);
      },
      end: () => call({ op: "end" }).finally(release),
      close: () => {
        if (closed) return;
        release();
        void t.ready
          .then(() => t.worker.postMessage({ op: "close", id, call: 0 } satisfies PoolRequest))
          .catch(() => {});
      },
    };
  }

  /** Stop the threads. Calls still waiting get no more bytes (the gateway is stopping; its streams end). */
  terminate() {
    this.stopped = true;
    for (const t of this.threads) t.worker.terminate();
    this.threads.length = 0;
    for (const [, w] of this.waiting) w.resolve(new Uint8Array(0));
    this.waiting.clear();
  }
}
