/**
 * Worker threads: the Web `Worker` both Bun and Deno implement, started as an
 * ES module (Deno runs no other kind; Bun takes the same option). The thread
 * side uses `self.onmessage` / `self.postMessage` on both.
 */

/** A worker thread running the module at `url` (a `new URL("./x.ts", import.meta.url)`). */
export function startWorker(url: URL): Worker {
  return new Worker(url.href, { type: "module" });
}
