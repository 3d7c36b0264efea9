/**
 * A finished job's track is encoded on a worker thread: an hour of MP3 takes
 * tens of seconds of CPU, and on the event loop that froze every request and
 * the job's own lease renewals (issue 20, finding 4). One thread per encode;
 * jobs are few (JOB_CONCURRENCY), so a pool would buy nothing.
 */
import { startWorker } from "@kokoro-edge/runtime";

export interface EncodeJob {
  pcmPath: string;
  outPath: string;
  /** Where the encoder writes before the rename (unique per attempt, so two gateways never share it). */
  tmpPath: string;
  format: string;
  sampleRate: number;
  totalSamples: number;
}
export type EncodeResult = { ok: true; bytes: number } | { ok: false; message: string };

export function encodeOffThread(job: EncodeJob, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL("./encode-worker.ts", import.meta.url));
    const done = (fn: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      worker.terminate();
      fn();
    };
    const onAbort = () => done(() => reject(signal!.reason ?? new Error("encoding aborted")));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    // The job goes out when the thread says it is listening (a message sent earlier can be lost on Bun).
    worker.onmessage = (e: MessageEvent<EncodeResult | { ready: true }>) => {
      const m = e.data;
      if ("ready" in m) return worker.postMessage(job);
      done(() => (m.ok ? resolve(m.bytes) : reject(new Error(`encoding failed: ${m.message}`))));
    };
    worker.onerror = (e: ErrorEvent) => done(() => reject(new Error(`encoding failed: ${e.message}`)));
  });
}
