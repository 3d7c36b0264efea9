/**
 * One client's job progress as server-sent events: the job as it stands, then
 * each change pushed by JobEvents, then the finished job, then the end. The
 * stream never reads the whole job row while it waits (only the progress
 * columns, in the slow fallback poll), and nothing it does can throw into the
 * event loop: every write checks that the client is still there, and every
 * promise is caught.
 */
import type { JobEvent } from "@kokoro-edge/proto";
import type { Logger } from "@kokoro-edge/runtime";
import type { JobEvents } from "../jobs/events";
import { TERMINAL, type JobRow, type JobStatus } from "../jobs/store";
import { jobView } from "../jobs/view";
import { SSE_KEEPALIVE, sseFrame } from "./sse";

export interface JobEventStreamOptions {
  job: JobRow;
  events: JobEvents;
  /** The finished job, read once at the end. */
  load(id: string): Promise<JobRow | undefined>;
  log: Logger;
  keepAliveMs?: number;
  /** Runs once when the stream ends, however it ends. */
  onEnd?: () => void;
}

const isTerminal = (s: string) => TERMINAL.includes(s as JobStatus);

/** A progress event's data: what changed, without the job's report. */
export function progressView(p: { id: string; status: string; cuesDone: number; cuesTotal: number }) {
  return {
    id: p.id,
    object: "job",
    status: p.status,
    progress: {
      cues_done: p.cuesDone,
      cues_total: p.cuesTotal,
      fraction: p.cuesTotal ? p.cuesDone / p.cuesTotal : 0,
    },
  };
}

export function jobEventStream(o: JobEventStreamOptions): ReadableStream<Uint8Array> {
  const id = o.job.id;
  let closed = false;
  let finishing = false;
  let last = "";
  let lastWrite = Date.now();
  let unlisten = () => {};
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let ctl!: ReadableStreamDefaultController<Uint8Array>;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    unlisten();
    clearInterval(keepAlive);
    o.onEnd?.();
  };
  const write = (frame: Uint8Array) => {
    if (closed) return;
    try {
      ctl.enqueue(frame);
      lastWrite = Date.now();
    } catch {
      cleanup(); // the client went away between our check and the write
    }
  };
  const end = () => {
    if (closed) return;
    cleanup();
    try {
      ctl.close();
    } catch {
      /* already closed by the client */
    }
  };
  const finish = async () => {
    if (finishing || closed) return;
    finishing = true;
    const job = await o.load(id).catch(() => undefined);
    if (job && isTerminal(job.status)) write(sseFrame(jobView(job), `job.${job.status}`));
    end();
  };
  const onProgress = (p: { status: string; cuesDone: number; cuesTotal: number }) => {
    if (closed || finishing) return;
    if (isTerminal(p.status)) {
      void finish().catch((err) =>
        o.log.warn("job event stream failed", { id, error: (err as Error).message }),
      );
      return;
    }
    const sig = `${p.status}:${p.cuesDone}`;
    if (sig === last) return;
    last = sig;
    write(sseFrame(progressView({ id, ...p }), "job.progress"));
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      ctl = controller;
      if (isTerminal(o.job.status)) {
        write(sseFrame(jobView(o.job), `job.${o.job.status}`));
        end();
        return;
      }
      last = `${o.job.status}:${o.job.cuesDone}`;
      write(sseFrame(jobView(o.job), "job.progress"));
      unlisten = o.events.listen(id, (e: JobEvent) =>
        onProgress({ status: e.status, cuesDone: e.cues_done, cuesTotal: e.cues_total }),
      );
      const keepAliveMs = o.keepAliveMs ?? 15_000;
      keepAlive = setInterval(() => {
        if (Date.now() - lastWrite >= keepAliveMs) write(SSE_KEEPALIVE);
      }, keepAliveMs / 3);
      // A change between the read that opened the stream and the listener: catch it now.
      void o.events.refresh(id);
    },
    cancel() {
      cleanup();
    },
  });
}
