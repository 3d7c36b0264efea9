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
 */
interface Job {
  deadline: number;
  notBefore: number;
  order: number;
  start: () => void;
}

export interface RunOptions {
  /** Do not start before this time (epoch ms) while the worker is contended. */
  notBefore?: number;
}

export class DeadlineScheduler {
  private waiting: Job[] = [];
  private running = 0;
  private order = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly concurrency: number,
    private readonly contended: () => boolean = () => true,
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
      if (best < 0) {
        // Everything waiting may start later: look again when the first of them may.
        const soonest = Math.min(...this.waiting.map((j) => j.notBefore));
        this.timer = setTimeout(() => this.next(), Math.max(1, soonest - now));
        return;
      }
      this.waiting.splice(best, 1)[0]!.start();
    }
  }
}
