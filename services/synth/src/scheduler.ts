/**
 * Earliest-deadline-first queue in front of the inference engine. A chunk is
 * due when the audio already sent for its stream would run out; a new
 * stream's first chunk is due now. So a new request's first chunk runs before
 * later chunks of streams that are still ahead of playback, and first audio
 * stays fast under load while no running stream underruns.
 *
 * Inference cannot be pre-empted: a chunk that starts holds its slot until it
 * is done. Two things keep a new stream from waiting behind it:
 * - The first-chunk lane (`urgentSlots`): slots only first chunks may use.
 *   The engine runs them at normal CPU priority and everything else at a
 *   lower one, so a first chunk takes the cores from a running later chunk at
 *   once, and that chunk finishes later by about the first chunk's run time.
 * - Just in time: while several streams share the worker, a chunk that is not
 *   due soon may carry `notBefore` and is not started before then.
 * With one stream alone (`contended()` false) everything runs as soon as it can.
 *
 * "Ahead of playback" is checked, not assumed: with `guardPlayback`, a first
 * chunk does not overtake a later chunk, waiting or running, that could not
 * afford to wait for it (one whose deadline would pass, less a margin, if the
 * first chunk ran first). That holds while the worker is under capacity.
 * Over capacity (`overCapacity()`: the streams in progress need more engine
 * time than there is) some stream must fall behind whatever the order; then
 * new streams still get their first audio fast, and running streams absorb
 * the shortfall.
 */
export type Lane = "normal" | "urgent";

interface Job {
  deadline: number;
  notBefore: number;
  order: number;
  first: boolean;
  expectedMs: number;
  start: (lane: Lane) => void;
}

interface Running {
  deadline: number;
  first: boolean;
  expectedMs: number;
  startedAt: number;
  lane: Lane;
}

export interface RunOptions {
  /** Do not start before this time (epoch ms) while the worker is contended. */
  notBefore?: number;
  /** A stream's first chunk. */
  first?: boolean;
  /** How long the job is expected to run (ms). */
  expectedMs?: number;
}

export interface SchedulerOptions {
  /** Slots any chunk may use (the worker's SYNTH_CONCURRENCY). */
  concurrency: number;
  /** Extra slots only first chunks may use (the first-chunk lane), 0 for none. */
  urgentSlots?: number;
  /** Several streams share the worker: defer chunks that carry `notBefore`. */
  contended?: () => boolean;
  /**
   * A first chunk does not overtake a later chunk that would then miss its
   * deadline, while the worker is under capacity. Over capacity some stream
   * must fall behind; then new streams still start fast (first chunks win).
   */
  guardPlayback?: boolean;
  /** The streams in progress need more engine time than the worker has (default: never). */
  overCapacity?: () => boolean;
}

/** Share of its engine time the streams a worker is producing need, at which it counts as over capacity. */
export const OVER_CAPACITY = 0.95;

/** Slack a later chunk keeps when a first chunk is weighed against it (ms). */
export const PLAYBACK_GUARD_MARGIN_MS = 250;

export class DeadlineScheduler {
  private waiting: Job[] = [];
  private running = new Set<Running>();
  private order = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly overCapacity: () => boolean;
  private readonly concurrency: number;
  private readonly urgentSlots: number;
  private readonly contended: () => boolean;
  private readonly guardPlayback: boolean;

  constructor(opts: SchedulerOptions) {
    this.concurrency = opts.concurrency;
    this.urgentSlots = opts.urgentSlots ?? 0;
    this.contended = opts.contended ?? (() => true);
    this.guardPlayback = opts.guardPlayback ?? true;
    this.overCapacity = opts.overCapacity ?? (() => false);
  }

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }
  get active(): number {
    return this.running.size;
  }

  /** Queue `task`; it is called with the lane it runs in. */
  run<T>(deadline: number, signal: AbortSignal | undefined, task: (lane: Lane) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = {
        deadline,
        notBefore: opts.notBefore ?? 0,
        order: this.order++,
        first: opts.first ?? false,
        expectedMs: opts.expectedMs ?? 0,
        start: (lane) => {
          signal?.removeEventListener("abort", onAbort);
          const r: Running = { deadline: job.deadline, first: job.first, expectedMs: job.expectedMs, startedAt: Date.now(), lane };
          this.running.add(r);
          let p: Promise<T>;
          try {
            p = task(lane);
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(resolve, reject).finally(() => {
            this.running.delete(r);
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

  private inLane(lane: Lane): number {
    let n = 0;
    for (const r of this.running) if (r.lane === lane) n++;
    return n;
  }

  private next() {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const lazy = this.contended();
    const guard = this.guardPlayback && !this.overCapacity();
    // The first-chunk lane: the earliest first chunk, unless a later chunk cannot afford it.
    while (this.inLane("urgent") < this.urgentSlots) {
      const i = this.earliest(now, lazy, (j) => j.first);
      if (i < 0 || (guard && this.atRisk(now + this.waiting[i]!.expectedMs, now, lazy, true))) break;
      this.waiting.splice(i, 1)[0]!.start("urgent");
    }
    // With a first-chunk lane, first chunks wait for it rather than run at the normal lane's low
    // priority, where every first chunk that came after them would starve them.
    const normalTakes = this.urgentSlots > 0 ? (j: Job) => !j.first : () => true;
    while (this.inLane("normal") < this.concurrency) {
      let best = this.earliest(now, lazy, normalTakes);
      if (best >= 0 && guard && this.waiting[best]!.first) best = this.guard(best, now, lazy);
      if (best < 0) {
        // Whatever this lane may take may start later: look again when the first of them may.
        const deferred = this.waiting.filter((j) => normalTakes(j) && j.notBefore > now);
        if (deferred.length) this.timer = setTimeout(() => this.next(), Math.max(1, Math.min(...deferred.map((j) => j.notBefore)) - now));
        return;
      }
      this.waiting.splice(best, 1)[0]!.start("normal");
    }
  }

  /** Index of the waiting job with the earliest deadline that may start now and passes `filter`, or -1. */
  private earliest(now: number, lazy: boolean, filter: (j: Job) => boolean): number {
    let best = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const j = this.waiting[i]!;
      if ((lazy && j.notBefore > now) || !filter(j)) continue;
      const b = this.waiting[best];
      if (!b || j.deadline < b.deadline || (j.deadline === b.deadline && j.order < b.order)) best = i;
    }
    return best;
  }

  /**
   * Would a later chunk miss its deadline (less the margin) if a first chunk
   * that finishes at `finish` ran first? Waiting chunks that may start now
   * count; with `alongside`, so do running ones, which the first chunk slows
   * down by its own run time.
   */
  private atRisk(finish: number, now: number, lazy: boolean, alongside: boolean): boolean {
    return this.laterAtRisk(finish, now, lazy) >= 0 || (alongside && this.runningAtRisk(finish - now));
  }

  private runningAtRisk(delayMs: number): boolean {
    for (const r of this.running) {
      if (r.first || r.lane !== "normal") continue;
      if (r.startedAt + r.expectedMs + delayMs > r.deadline - PLAYBACK_GUARD_MARGIN_MS) return true;
    }
    return false;
  }

  /** The waiting later chunk with the earliest latest start before `finish`, or -1. */
  private laterAtRisk(finish: number, now: number, lazy: boolean): number {
    let pick = -1;
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

  /** The later chunk that could not wait for first chunk `i` (the one with the earliest latest start), or `i`. */
  private guard(i: number, now: number, lazy: boolean): number {
    const k = this.laterAtRisk(now + this.waiting[i]!.expectedMs, now, lazy);
    return k >= 0 ? k : i;
  }
}
