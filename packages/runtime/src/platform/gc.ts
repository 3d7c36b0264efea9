/**
 * Forcing a full garbage collection, for the synth worker's idle compactor
 * (resident memory back to flat once streams end). Bun offers it always
 * (`Bun.gc(true)`); V8 runtimes only when started with the flag that exposes
 * `gc()` (`deno run --v8-flags=--expose-gc`, `node --expose-gc`). Without it a
 * collection is not forced and `collectGarbage()` says so.
 */
import { runtime } from "./runtime";

/** Collect now, on the calling thread (main or worker). False when this runtime was not allowed to. */
export function collectGarbage(): boolean {
  if (runtime === "bun") {
    Bun.gc(true);
    return true;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return false;
  gc();
  return true;
}

/** Whether `collectGarbage()` can force a collection in this process. */
export const canCollectGarbage =
  runtime === "bun" || typeof (globalThis as { gc?: unknown }).gc === "function";
