/**
 * Job progress, pushed: the gateway rendering a job publishes each change on
 * the bus, and every gateway dispatches it to the event streams it holds open
 * for that job. No stream polls the database for progress; a slow fallback
 * poll of the progress columns, one per job however many streams follow it,
 * only covers a message the bus lost.
 */
import { contracts, type JobEvent } from "@kokoro-edge/proto";
import { type Bus, type Logger, type Subscription } from "@kokoro-edge/runtime";

export type JobListener = (e: JobEvent) => void;

export interface JobEventsOptions {
  /** A job's progress columns, for the fallback poll. */
  progress?: (
    id: string,
  ) => Promise<{ id: string; status: string; cuesDone: number; cuesTotal: number } | undefined>;
  fallbackPollMs?: number;
}

export class JobEvents {
  private readonly listeners = new Map<string, Set<JobListener>>();
  private readonly polls = new Map<string, ReturnType<typeof setInterval>>();
  private sub?: Subscription;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly opts: JobEventsOptions = {},
  ) {}

  start() {
    this.sub = this.bus.onEvent(contracts.jobs.events, (e) => this.dispatch(e));
  }

  stop() {
    this.sub?.unsubscribe();
    this.listeners.clear();
    for (const t of this.polls.values()) clearInterval(t);
    this.polls.clear();
  }

  /** Tell every gateway (this one included, through the bus). Never throws: progress is advisory. */
  publish(e: Omit<JobEvent, "v">) {
    try {
      this.bus.publishEvent(contracts.jobs.events, { v: 1, ...e });
    } catch (err) {
      this.log.debug("job event not published", { id: e.id, error: (err as Error).message });
    }
  }

  /** Listen to one job's events; returns the unsubscribe function. */
  listen(id: string, fn: JobListener): () => void {
    let set = this.listeners.get(id);
    if (!set) {
      this.listeners.set(id, (set = new Set()));
      this.startPoll(id);
    }
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (set!.size === 0 && this.listeners.get(id) === set) {
        this.listeners.delete(id);
        clearInterval(this.polls.get(id));
        this.polls.delete(id);
      }
    };
  }

  /** Read the job's progress now and tell its listeners (a stream just opened, or the fallback poll). */
  refresh(id: string): Promise<void> {
    const read = this.opts.progress;
    if (!read) return Promise.resolve();
    return read(id)
      .then((p) => {
        if (p)
          this.dispatch({
            v: 1,
            id,
            status: p.status as JobEvent["status"],
            cues_done: p.cuesDone,
            cues_total: p.cuesTotal,
          });
      })
      .catch(() => {}); // the database is away: the next poll or a pushed event will do
  }

  private startPoll(id: string) {
    if (!this.opts.progress) return;
    const t = setInterval(() => void this.refresh(id), this.opts.fallbackPollMs ?? 5_000);
    (t as { unref?: () => void }).unref?.();
    this.polls.set(id, t);
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
