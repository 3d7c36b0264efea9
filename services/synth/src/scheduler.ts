/**
 * Earliest-deadline-first queue in front of the inference engine. A chunk is
 * due when the audio already sent for its stream would run out; a new
 * stream's first chunk is due now. So a new request's first chunk runs before
 * later chunks of streams that are still ahead of playback, and first audio
 * stays fast under load while no running stream underruns.
 *
 * Inference cannot be pre-empted: a long chunk that starts holds its slot for
 * seconds. So while several streams share the worker, a chunk that is not due
 * soon may carry `notBefore`: it is not started before then (just in time,
 * with a margin), leaving slots free for first chunks that arrive meanwhile.
 * With one stream alone (`contended()` false) everything runs as soon as it can.
 *
 * "Ahead of playback" is checked, not assumed: with `guardPlayback`, a first
 * chunk does not overtake a later chunk that could not wait for it (one whose
 * latest start, its deadline minus its expected run time and a margin, comes
 * before the first chunk would finish). Without preemption, that is what
 * keeps a running stream from underrunning while a new one starts.
 */
interface Job {
  deadline: number;
  notBefore: number;
  order: number;
  first: boolean;
  expectedMs: number;
  start: () => void;
}

export interface RunOptions {
  /** Do not start before this time (epoch ms) while the worker is contended. */
  notBefore?: number;
  /** A stream's first chunk. */
  first?: boolean;
  /** How long the job is expected to run (ms). */
  expectedMs?: number;
}

/** Slack a later chunk keeps when a first chunk is weighed against it (ms). */
export const PLAYBACK_GUARD_MARGIN_MS = 250;

export class DeadlineScheduler {
  private waiting: Job[] = [];
  private running = 0;
  private order = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly concurrency: number,
    private readonly contended: () => boolean = () => true,
    private readonly guardPlayback = true,
  ) {}

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }
  get active(): number {
    return this.running;
  }

  run<T>(deadline: number, signal: AbortSignal | undefined, task: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = {
        deadline,
        notBefore: opts.notBefore ?? 0,
        order: this.order++,
        first: opts.first ?? false,
        expectedMs: opts.expectedMs ?? 0,
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          this.running++;
          task()
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.next();
            });
        },
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(job);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          reject(signal!.reason);
        }
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(job);
      this.next();
    });
  }

  private next() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const now = Date.now();
      const lazy = this.contended();
      let best = -1;
      for (let i = 0; i < this.waiting.length; i++) {
        const j = this.waiting[i]!;
        if (lazy && j.notBefore > now) continue;
        const b = this.waiting[best];
        if (!b || j.deadline < b.deadline || (j.deadline === b.deadline && j.order < b.order)) best = i;
      }
      if (best >= 0 && this.guardPlayback && this.waiting[best]!.first) best = this.guard(best, now, lazy);
      if (best < 0) {
        // Everything waiting may start later: look again when the first of them may.
        const soonest = Math.min(...this.waiting.map((j) => j.notBefore));
        this.timer = setTimeout(() => this.next(), Math.max(1, soonest - now));
        return;
      }
      this.waiting.splice(best, 1)[0]!.start();
    }
  }

  /** The later chunk that could not wait for first chunk `i` (the one with the earliest latest start), or `i`. */
  private guard(i: number, now: number, lazy: boolean): number {
    const finish = now + this.waiting[i]!.expectedMs;
    let pick = i;
    let pickLatest = Infinity;
    for (let k = 0; k < this.waiting.length; k++) {
      const j = this.waiting[k]!;
      if (j.first || (lazy && j.notBefore > now)) continue;
      const latestStart = j.deadline - j.expectedMs - PLAYBACK_GUARD_MARGIN_MS;
      if (latestStart < finish && latestStart < pickLatest) {
        pick = k;
        pickLatest = latestStart;
      }
    }
    return pick;
  }
}
