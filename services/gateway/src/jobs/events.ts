/**
 * Job progress, pushed: the gateway rendering a job publishes each change on
 * the bus, and every gateway dispatches it to the event streams it holds open
 * for that job. No stream polls the database for progress; a slow fallback
 * poll of the progress columns only covers a message the bus lost.
 */
import { JobEvent, subjects } from "@kokoro-edge/proto";
import { decodeJson, encodeJson, type Bus, type Logger, type Subscription } from "@kokoro-edge/runtime";

export type JobListener = (e: JobEvent) => void;

export class JobEvents {
  private readonly listeners = new Map<string, Set<JobListener>>();
  private sub?: Subscription;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  start() {
    this.sub = this.bus.subscribe(subjects.jobs.events, (msg) => {
      const parsed = JobEvent.safeParse(safeDecode(msg.data));
      if (parsed.success) this.dispatch(parsed.data);
    });
  }

  stop() {
    this.sub?.unsubscribe();
    this.listeners.clear();
  }

  /** Tell every gateway (this one included, through the bus). Never throws: progress is advisory. */
  publish(e: Omit<JobEvent, "v">) {
    try {
      this.bus.publish(subjects.jobs.events, encodeJson({ v: 1, ...e }));
    } catch (err) {
      this.log.debug("job event not published", { id: e.id, error: (err as Error).message });
    }
  }

  /** Listen to one job's events; returns the unsubscribe function. */
  listen(id: string, fn: JobListener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (set!.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** Streams open, for all jobs (tests and metrics). */
  get listening(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private dispatch(e: JobEvent) {
    for (const fn of [...(this.listeners.get(e.id) ?? [])]) {
      try {
        fn(e);
      } catch (err) {
        this.log.warn("job event listener failed", { id: e.id, error: (err as Error).message });
      }
    }
  }
}

function safeDecode(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
