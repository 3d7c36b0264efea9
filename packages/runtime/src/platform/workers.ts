/**
 * Worker threads: the Web `Worker` both Bun and Deno implement, started as an
 * ES module (Deno runs no other kind; Bun takes the same option). The thread
 * side uses `self.onmessage` / `self.postMessage` on both.
 */
import { runtime } from "./runtime";

export interface WorkerOptions {
  /**
   * A thread that keeps little on its JavaScript heap (the inference threads: their memory is
   * onnxruntime's): on Bun it runs with a smaller heap (`smol`), which collects sooner. Other
   * runtimes ignore it.
   */
  small?: boolean;
}

/** A worker thread running the module at `url` (a `new URL("./x.ts", import.meta.url)`). */
export function startWorker(url: URL, opts: WorkerOptions = {}): Worker {
  const options: globalThis.WorkerOptions & { smol?: boolean } = { type: "module" };
  if (opts.small && runtime === "bun") options.smol = true;
  return new Worker(url.href, options);
}
