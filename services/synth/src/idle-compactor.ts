/**
 * When a worker goes idle (no stream for `delayMs`), collect garbage on the
 * main thread and the inference threads. Streams leave audio buffers and
 * tensors behind; collected at once, resident memory stays flat from request
 * 10 to request 1,000 (bench (d)), which is what an operator sizing memory
 * limits needs. A new stream arriving first cancels it; one that arrives while
 * a collection runs waits for it (10-15 ms on a standalone worker).
 */
import { collectGarbage, trimNativeHeap } from "@kokoro-edge/runtime";

export class IdleCompactor {
  private timer?: ReturnType<typeof setTimeout>;
  private running?: Promise<void>;

  constructor(
    private delayMs: number,
    private readonly compact: () => Promise<void>,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  busy() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  idle() {
    if (this.delayMs <= 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return;
      this.running = this.compact()
        .catch((err) => this.onError(err as Error))
        .finally(() => (this.running = undefined));
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** No more collections; waits for one in progress (the engine closes next). */
  async stop() {
    this.busy();
    this.delayMs = 0;
    await this.running;
  }
}

/**
 * Full collection on this thread when `mainThread` (where the runtime allows it: platform/gc.ts),
 * then the engine's; then what the collections and onnxruntime freed goes back to the system
 * (platform/native-heap.ts): without it the C heap keeps its high-water mark.
 */
export async function compactMemory(
  engine: { compact?(): Promise<void> } | undefined,
  mainThread: boolean,
): Promise<void> {
  if (mainThread) collectGarbage();
  await engine?.compact?.();
  await trimNativeHeap();
}
