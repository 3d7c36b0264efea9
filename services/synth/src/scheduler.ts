/**
 * Earliest-deadline-first queue in front of the inference engine. A chunk is
 * due when the audio already sent for its stream would run out; a new
 * stream's first chunk is due now. So a new request's first chunk runs before
 * later chunks of streams that are still ahead of playback, and first audio
 * stays fast under load while no running stream underruns.
 *
 * Inference cannot be pre-empted: a chunk that starts holds its slot until it
 * is done. Two things keep a new stream from waiting behind it:
 * - The first-chunk lane (`urgentSlots`): slots for first chunks. The engine
 *   runs them at normal CPU priority and everything else at a lower one, so a
 *   first chunk takes the cores from a running later chunk at once, and that
 *   chunk finishes later by about the first chunk's run time. While the guard
 *   is on and no first chunk waits, a later chunk that would miss its deadline
 *   behind a running chunk due after it takes this lane too (pre-emptive EDF
 *   by CPU priority).
 * - Just in time: while several streams share the worker, a chunk that is not
 *   due soon may carry `notBefore` and is not started before then.
 * With one stream alone (`contended()` false) everything runs as soon as it can.
 *
 * "Ahead of playback" is checked, not assumed: with `guardPlayback`, the
 * scheduler projects the later chunks it knows of (running and waiting) in
 * EDF order with and without the first chunk taking the cores first. A first
 * chunk waits only if it would make one of them miss its deadline (less a
 * margin) that it would otherwise meet, and for at most `maxHold` times its
 * own run time, so first audio stays bounded. If one misses its deadline even
 * without it, or the streams arriving ask for more engine time than the
 * worker has (`overCapacity()`: the projection sees only the chunks queued
 * now, not the demand behind them), the worker is over capacity: some stream
 * falls behind whatever the order, and new streams still get their first
 * audio fast.
 */
import type { Lane } from "./engine/types";
import type { EpochMs, MonoMs } from "./clock";

export type { Lane } from "./engine/types";

interface Job {
  deadline: EpochMs;
  queuedAt: EpochMs;
  notBefore: EpochMs;
  order: number;
  first: boolean;
  expectedMs: number;
  start: (lane: Lane) => void;
}

/** Where a run began: its lane, the clock (performance.now()) and urgentBusy() then (see `progressMs`). */
export interface RunMark {
  lane: Lane;
  monoAt: MonoMs;
  urgentBusy: number;
}

interface Running {
  deadline: EpochMs;
  first: boolean;
  expectedMs: number;
  mark: RunMark;
}

export interface RunOptions {
  /** Do not start before this time while the worker is contended. */
  notBefore?: EpochMs;
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
   * deadline, unless the worker is over capacity (a later chunk misses its
   * deadline anyway); then new streams still start fast (first chunks win).
   */
  guardPlayback?: boolean;
  /** The worker is known to be over capacity (its streams ask for more engine time than it has); default: never. */
  overCapacity?: () => boolean;
  /**
   * The longest a first chunk waits for the guard, in multiples of its
   * expected run time; then it runs even if a later chunk will miss its
   * deadline. Default: no limit.
   */
  maxHold?: number;
}

/** Slack a later chunk keeps when a first chunk is weighed against it (ms). */
export const PLAYBACK_GUARD_MARGIN_MS = 250;

export class DeadlineScheduler {
  private waiting: Job[] = [];
  private running = new Set<Running>();
  private order = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** Time the first-chunk lane had a run, and time the engine had any run. */
  private readonly urgentClock = new BusyClock();
  private readonly engineClock = new BusyClock();
  private readonly concurrency: number;
  private readonly urgentSlots: number;
  private readonly contended: () => boolean;
  private readonly guardPlayback: boolean;
  private readonly overCapacity: () => boolean;
  private readonly maxHold: number;
  /** When next() must look again: a deferred job may start, or a held first chunk's wait runs out. */
  private wakeAt: EpochMs = Infinity;

  constructor(opts: SchedulerOptions) {
    this.concurrency = opts.concurrency;
    this.urgentSlots = opts.urgentSlots ?? 0;
    this.contended = opts.contended ?? (() => true);
    this.guardPlayback = opts.guardPlayback ?? true;
    this.overCapacity = opts.overCapacity ?? (() => false);
    this.maxHold = opts.maxHold ?? Infinity;
  }

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }
  get active(): number {
    return this.running.size;
  }

  /** Milliseconds the first-chunk lane has been busy since the scheduler began, as of `now` (performance.now()). */
  urgentBusy(monoNow: MonoMs = performance.now()): number {
    return this.urgentClock.total(monoNow);
  }

  /**
   * Milliseconds the engine has had at least one inference running since the
   * scheduler began, as of `now` (performance.now()): over a while, its share
   * of the wall time is the worker's utilization (near 1, streams fall behind).
   */
  busy(monoNow: MonoMs = performance.now()): number {
    return this.engineClock.total(monoNow);
  }

  /**
   * The engine time a run begun at `mark` has had by `now` (performance.now()):
   * its wall time, less, in the normal lane, the time the first-chunk lane took
   * the cores from it (a normal-lane run makes no progress meanwhile).
   */
  progressMs(mark: RunMark, monoNow: MonoMs = performance.now()): number {
    const wall = monoNow - mark.monoAt;
    return mark.lane === "normal" ? wall - (this.urgentBusy(monoNow) - mark.urgentBusy) : wall;
  }

  private runStarted(lane: Lane, monoAt: MonoMs) {
    this.engineClock.start(monoAt);
    if (lane === "urgent") this.urgentClock.start(monoAt);
  }

  /** After the run left `running`: a clock stops when nothing it counts runs any more. */
  private runFinished(lane: Lane) {
    const monoNow = performance.now();
    if (this.running.size === 0) this.engineClock.stop(monoNow);
    if (lane === "urgent" && this.inLane("urgent") === 0) this.urgentClock.stop(monoNow);
  }

  /** Queue `task`; it is called with the lane it runs in and the mark of its start (for `progressMs`). */
  run<T>(
    deadline: EpochMs,
    signal: AbortSignal | undefined,
    task: (lane: Lane, mark: RunMark) => Promise<T>,
    opts: RunOptions = {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const job: Job = {
        deadline,
        queuedAt: Date.now(),
        notBefore: opts.notBefore ?? 0,
        order: this.order++,
        first: opts.first ?? false,
        expectedMs: opts.expectedMs ?? 0,
        start: (lane) => {
          signal?.removeEventListener("abort", onAbort);
          const monoAt = performance.now();
          const r: Running = {
            deadline: job.deadline,
            first: job.first,
            expectedMs: job.expectedMs,
            mark: { lane, monoAt, urgentBusy: this.urgentBusy(monoAt) },
          };
          this.running.add(r);
          this.runStarted(lane, monoAt);
          let p: Promise<T>;
          try {
            p = task(lane, r.mark);
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(resolve, reject).finally(() => {
            this.running.delete(r);
            this.runFinished(lane);
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
    for (const r of this.running) if (r.mark.lane === lane) n++;
    return n;
  }

  private next() {
    clearTimeout(this.timer);
    this.timer = undefined;
    const epochNow = Date.now();
    this.wakeAt = Infinity;
    const lazy = this.contended();
    const guard = this.guardPlayback && !this.overCapacity();
    // A first chunk held back for later chunks' sake: those run now, deferred or not.
    let held = this.startFirstChunks(epochNow, lazy, guard);
    // With a first-chunk lane, first chunks wait for it rather than run at the normal lane's low
    // priority, where every first chunk that came after them would starve them.
    const normalTakes = this.urgentSlots > 0 ? (j: Job) => !j.first : () => true;
    while (this.inLane("normal") < this.concurrency) {
      let best = this.earliest(epochNow, lazy && !held, normalTakes);
      // A first chunk that must wait leaves the slot to the earliest later chunk.
      if (
        best >= 0 &&
        guard &&
        this.waiting[best]!.first &&
        this.mustWait(this.waiting[best]!, epochNow, lazy)
      ) {
        held = true;
        best = this.earliest(epochNow, false, (j) => !j.first);
      }
      if (best < 0) {
        // Whatever this lane may take may start later: look again when the first of them may.
        for (const j of this.waiting)
          if (normalTakes(j) && j.notBefore > epochNow) this.wakeAt = Math.min(this.wakeAt, j.notBefore);
        break;
      }
      this.waiting.splice(best, 1)[0]!.start("normal");
    }
    if (this.wakeAt < Infinity)
      this.timer = setTimeout(() => this.next(), Math.max(1, this.wakeAt - epochNow));
  }

  /**
   * Fill the first-chunk lane: the earliest first chunk, unless the guard
   * holds it back (then true); else, while the guard is on, a later chunk
   * blocked behind one due after it.
   */
  private startFirstChunks(epochNow: number, lazy: boolean, guard: boolean): boolean {
    while (this.inLane("urgent") < this.urgentSlots) {
      const i = this.earliest(epochNow, lazy, (j) => j.first);
      if (i >= 0 && guard && this.mustWait(this.waiting[i]!, epochNow, lazy)) return true;
      const pick = i >= 0 ? i : guard ? this.blockedLater(epochNow, lazy) : -1;
      if (pick < 0) return false;
      this.waiting.splice(pick, 1)[0]!.start("urgent");
    }
    return false;
  }

  /** Index of the waiting job with the earliest deadline that may start now and passes `filter`, or -1. */
  private earliest(epochNow: number, lazy: boolean, filter: (j: Job) => boolean): number {
    let best = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const j = this.waiting[i]!;
      if ((lazy && j.notBefore > epochNow) || !filter(j)) continue;
      const b = this.waiting[best];
      if (!b || j.deadline < b.deadline || (j.deadline === b.deadline && j.order < b.order)) best = i;
    }
    return best;
  }

  /**
   * Should first chunk `f` wait? Only if running it now would make a later
   * chunk miss its deadline (less the margin) that it meets without it; not
   * if one misses anyway (over capacity: then new streams start fast), and
   * not once it has waited `maxHold` times its expected run time (then look
   * again when it has).
   */
  private mustWait(f: Job, epochNow: number, lazy: boolean): boolean {
    const until = this.maxHold === Infinity ? Infinity : f.queuedAt + this.maxHold * f.expectedMs;
    if (epochNow >= until) return false;
    if (this.project(epochNow, lazy, f.expectedMs).worst <= -PLAYBACK_GUARD_MARGIN_MS) return false;
    if (this.project(epochNow, lazy, 0).worst > 0) return false;
    this.wakeAt = Math.min(this.wakeAt, until);
    return true;
  }

  /**
   * A waiting later chunk that should take the first-chunk lane: one the
   * normal lane would finish too late (less the margin) because a later chunk
   * due after it holds that lane (inference cannot be pre-empted, but the
   * first-chunk lane's CPU priority pre-empts the normal lane), and that makes
   * its deadline if it starts now. Index into `waiting`, or -1.
   */
  private blockedLater(epochNow: number, lazy: boolean): number {
    const atRisk = this.project(epochNow, lazy, 0).atRisk;
    if (!atRisk || epochNow + atRisk.expectedMs > atRisk.deadline) return -1;
    for (const r of this.running)
      if (r.mark.lane === "normal" && !r.first && r.deadline > atRisk.deadline)
        return this.waiting.indexOf(atRisk);
    return -1;
  }

  /**
   * Project the known later chunks: the normal lane runs them in EDF order
   * from now, after the first-chunk lane has taken the cores for its running
   * work plus `delayMs`. `worst`: how late (ms; negative: how early) the
   * latest of them would finish (-Infinity with none); `atRisk`: the first
   * waiting one, in that order, that would finish later than its deadline
   * less the margin.
   */
  private project(epochNow: number, lazy: boolean, delayMs: number): { worst: number; atRisk?: Job } {
    let delay = delayMs;
    const monoNow = performance.now();
    for (const r of this.running)
      if (r.mark.lane === "urgent") delay += Math.max(0, r.expectedMs - this.progressMs(r.mark, monoNow));
    const slots: number[] = [];
    let worst = -Infinity;
    let atRisk: Job | undefined;
    for (const r of this.running) {
      if (r.mark.lane !== "normal") continue;
      const finish = epochNow + Math.max(0, r.expectedMs - this.progressMs(r.mark, monoNow)) + delay;
      slots.push(finish);
      if (!r.first) worst = Math.max(worst, finish - r.deadline);
    }
    while (slots.length < this.concurrency) slots.push(epochNow + delay);
    const later = this.waiting
      .filter((j) => !j.first)
      .sort((a, b) => a.deadline - b.deadline || a.order - b.order);
    for (const j of later) {
      let k = 0;
      for (let m = 1; m < slots.length; m++) if (slots[m]! < slots[k]!) k = m;
      const finish = Math.max(slots[k]!, lazy ? j.notBefore : 0) + j.expectedMs;
      slots[k] = finish;
      worst = Math.max(worst, finish - j.deadline);
      if (!atRisk && finish > j.deadline - PLAYBACK_GUARD_MARGIN_MS) atRisk = j;
    }
    return { worst, atRisk };
  }
}

/** Time (ms, performance.now()) something was busy: a spell starts with its first run and stops with its last. */
class BusyClock {
  private ms = 0;
  private since?: MonoMs;

  start(monoAt: MonoMs) {
    this.since ??= monoAt;
  }

  stop(monoAt: MonoMs) {
    if (this.since === undefined) return;
    this.ms += monoAt - this.since;
    this.since = undefined;
  }

  total(monoNow: MonoMs): number {
    return this.ms + (this.since !== undefined ? monoNow - this.since : 0);
  }
}
