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
 * scheduler plays forward (projection.ts), in EDF order, the later chunks it
 * knows of: those running and waiting, and those each stream will ask for
 * next (its `StreamPlan`: a stream queues one chunk at a time, so most of the
 * work due in the next seconds is not in the queue yet). It does so with and
 * without the first chunk taking the cores first, the first chunk's own
 * stream's next chunks included. A first chunk waits only if it would put at
 * risk (leave less than a margin to spare) a deadline that is met without
 * it, and for at most `maxHold` times its own run time, so first audio stays
 * bounded. When streams bunch up, a new one so waits for the running ones'
 * next chunks rather than make them run dry. Over capacity, it does not
 * wait where waiting would not help: where the chunk it puts at risk is late
 * anyway, or where waiting as long as it may would still make one late.
 * Over capacity is so judged here and now, on the work the worker knows of,
 * not by a rate of arrivals: streams that bunch up under capacity ask for
 * more than the engine has for a few seconds, and a switch that then let
 * first chunks win made the streams that were playing run dry.
 */
import type { Lane } from "./engine/types";
import type { EpochMs, MonoMs } from "./clock";
import { project, type ProjectedChain, type Projection } from "./projection";

export type { Lane } from "./engine/types";

/**
 * What a stream will still ask of the engine after the chunk it has queued
 * or running: the chunks it has not queued yet. The stream keeps it up to
 * date; the guard plays them forward with the queued ones, so a new stream
 * is weighed against the chunks the running streams will need next (its own
 * included), not only against those already queued.
 */
export interface StreamPlan {
  /** When the stream's first audio was ready; undefined until then (its deadlines count from then). */
  playbackStart?: EpochMs;
  /**
   * Its audio (ms) its reader has taken: the reader cannot be playing past
   * it, so a chunk is not due before the audio before it, less this, has
   * played from now (a reader that falls behind pushes its deadlines back).
   */
  sentMs: number;
  /** Its chunks not queued yet, in order. */
  ahead: PlannedChunk[];
}

export interface PlannedChunk {
  expectedMs: number;
  /** When it is due and when it may start (just in time), in ms after the stream's first audio. */
  dueMs: number;
  notBeforeMs?: number;
}

/** How often a held first chunk is weighed again while nothing starts or ends (ms). */
export const HOLD_RECHECK_MS = 100;

/** How far ahead the guard looks at chunks not queued yet (ms): later ones are due long after any first chunk. */
export const PLAN_HORIZON_MS = 30_000;

interface Job {
  deadline: EpochMs;
  queuedAt: EpochMs;
  notBefore: EpochMs;
  order: number;
  first: boolean;
  expectedMs: number;
  plan?: StreamPlan;
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
  plan?: StreamPlan;
  mark: RunMark;
}

export interface RunOptions {
  /** Do not start before this time while the worker is contended. */
  notBefore?: EpochMs;
  /** A stream's first chunk. */
  first?: boolean;
  /** How long the job is expected to run (ms). */
  expectedMs?: number;
  /** The stream's plan (tracked with `track`): what it will ask for after this chunk. */
  plan?: StreamPlan;
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
   * deadline, unless waiting would not save it (see `mustWait`).
   */
  guardPlayback?: boolean;
  /**
   * The longest a first chunk waits for the guard, in multiples of its
   * expected run time; then it runs even if a later chunk will miss its
   * deadline. Default: no limit.
   */
  maxHold?: number;
  /**
   * The guard plays later chunks forward at this many times their expected
   * run time (default 1): the pace is an average, and when streams bunch up,
   * the work they bring with them (their text, their first chunks, their
   * bytes) slows the engine down just when the plan is tightest.
   */
  costFactor?: number;
}

/** Slack a later chunk keeps when a first chunk is weighed against it (ms). */
export const PLAYBACK_GUARD_MARGIN_MS = 250;

export class DeadlineScheduler {
  private waiting: Job[] = [];
  private running = new Set<Running>();
  private plans = new Set<StreamPlan>();
  private order = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** Time the first-chunk lane had a run, and time the engine had any run. */
  private readonly urgentClock = new BusyClock();
  private readonly engineClock = new BusyClock();
  private readonly concurrency: number;
  private readonly urgentSlots: number;
  private readonly contended: () => boolean;
  private readonly guardPlayback: boolean;
  private readonly maxHold: number;
  private readonly costFactor: number;
  /** When next() must look again: a deferred job may start, or a held first chunk's wait runs out. */
  private wakeAt: EpochMs = Infinity;

  constructor(opts: SchedulerOptions) {
    this.concurrency = opts.concurrency;
    this.urgentSlots = opts.urgentSlots ?? 0;
    this.contended = opts.contended ?? (() => true);
    this.guardPlayback = opts.guardPlayback ?? true;
    this.maxHold = opts.maxHold ?? Infinity;
    this.costFactor = opts.costFactor ?? 1;
  }

  /** Weigh a stream's plan from now on; call the returned function when the stream ends. */
  track(plan: StreamPlan): () => void {
    this.plans.add(plan);
    return () => void this.plans.delete(plan);
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
        ...(opts.plan ? { plan: opts.plan } : {}),
        start: (lane) => {
          signal?.removeEventListener("abort", onAbort);
          const monoAt = performance.now();
          const r: Running = {
            deadline: job.deadline,
            first: job.first,
            expectedMs: job.expectedMs,
            ...(job.plan ? { plan: job.plan } : {}),
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
    // A first chunk held back for later chunks' sake: those run now, deferred or not.
    let held = this.startFirstChunks(epochNow, lazy);
    // With a first-chunk lane, first chunks wait for it rather than run at the normal lane's low
    // priority, where every first chunk that came after them would starve them.
    const normalTakes = this.urgentSlots > 0 ? (j: Job) => !j.first : () => true;
    while (this.inLane("normal") < this.concurrency) {
      let best = this.earliest(epochNow, lazy && !held, normalTakes);
      // A first chunk that must wait leaves the slot to the earliest later chunk.
      if (
        best >= 0 &&
        this.guardPlayback &&
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
   * holds it back (then true); else (or meanwhile), while the guard is on, a
   * later chunk blocked behind one due after it.
   */
  private startFirstChunks(epochNow: number, lazy: boolean): boolean {
    let held = false;
    while (this.inLane("urgent") < this.urgentSlots) {
      const i = this.earliest(epochNow, lazy, (j) => j.first);
      held = i >= 0 && this.guardPlayback && this.mustWait(this.waiting[i]!, epochNow, lazy);
      // A first chunk held for later chunks' sake: one of them that is stuck may take the lane meanwhile.
      const pick = i >= 0 && !held ? i : this.guardPlayback ? this.blockedLater(epochNow, lazy) : -1;
      if (pick < 0) return held;
      this.waiting.splice(pick, 1)[0]!.start("urgent");
    }
    return held;
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
   * Should first chunk `f` wait? Only if running it now would put a chunk at
   * risk (finishing within the margin of its deadline, or later) that makes
   * its deadline without it: a queued or planned chunk of a running stream,
   * or a planned chunk of its own stream (if other work competes: alone,
   * waiting helps nothing). A chunk late either way does not hold it. And not
   * once it has waited `maxHold` times its expected run time.
   */
  private mustWait(f: Job, epochNow: number, lazy: boolean): boolean {
    const until = this.maxHold === Infinity ? Infinity : f.queuedAt + this.maxHold * f.expectedMs;
    if (epochNow >= until) return false;
    const withF = this.forecast(epochNow, lazy, f.expectedMs, { candidate: f });
    if (withF.worst <= -PLAYBACK_GUARD_MARGIN_MS) return false; // every chunk keeps its margin
    // Without it, judged at the expected run times: "late either way" must not rest on the guard's room
    // for error. A chunk on time without it but within the margin is the one it would most likely make
    // late (a first chunk takes about the margin from the normal lane).
    const exact = { costFactor: 1 };
    const without = this.forecast(epochNow, lazy, 0, exact);
    // Nothing else to protect or to wait for; or every chunk it puts at risk is late anyway.
    if (without.worst === -Infinity || !newlyAtRisk(withF, without, f, PLAYBACK_GUARD_MARGIN_MS, 0))
      return false;
    // Waiting as long as it may would still make a chunk late that is not late without it: the worker
    // is over capacity here and now; waiting would only add to it.
    // Judged at the expected run times too: the guard's room for error errs on the side of a playing
    // stream when holding, and would err against it here, giving up on it too soon.
    if (
      until < Infinity &&
      newlyAtRisk(
        this.forecast(epochNow, lazy, 0, { ...exact, candidate: f, candidateAt: until }),
        without,
        f,
        0,
      )
    )
      return false;
    // Looked at again when something runs or ends, when the hold runs out, and meanwhile now and then:
    // a stream whose next chunk the guard counts on may not queue it soon (its reader is slow).
    this.wakeAt = Math.min(this.wakeAt, until, epochNow + HOLD_RECHECK_MS);
    return true;
  }

  /**
   * A waiting later chunk that should take the first-chunk lane: one the
   * normal lane would finish too late (less the margin) because a later chunk
   * due after it holds that lane (inference cannot be pre-empted, but the
   * first-chunk lane's CPU priority pre-empts the normal lane), and that makes
   * its deadline if it starts now, unless that puts at risk a chunk that is
   * safe while it waits in line. Index into `waiting`, or -1.
   */
  private blockedLater(epochNow: number, lazy: boolean): number {
    const stay = this.forecast(epochNow, lazy, 0);
    const atRisk = stay.atRisk as Job | undefined;
    if (!atRisk || epochNow + atRisk.expectedMs > atRisk.deadline) return -1;
    if (![...this.running].some((r) => r.mark.lane === "normal" && !r.first && r.deadline > atRisk.deadline))
      return -1;
    // While it runs there, the normal lane all but stops: not if that puts at risk a chunk (the
    // running one, or one behind it) that is safe if it stays in line.
    const move = this.forecast(epochNow, lazy, 0, { moved: atRisk });
    return newlyAtRisk(move, stay, atRisk, PLAYBACK_GUARD_MARGIN_MS) ? -1 : this.waiting.indexOf(atRisk);
  }

  /**
   * Play the normal lane forward from now (projection.ts), after the
   * first-chunk lane has taken the cores for its running work plus `delayMs`:
   * its running chunks, the later chunks waiting, and what each tracked stream
   * will ask for next (its plan, up to PLAN_HORIZON_MS ahead). A stream whose
   * first chunk still waits is not counted, unless it is `candidate`, whose
   * first chunk is taken to run now (`delayMs` is its run time): its first
   * audio is then ready when the delay is over; or, with `candidateAt`, to
   * run then, ahead of any later chunk. A waiting later chunk `moved` is
   * taken to run in the first-chunk lane now (part of the delay). Later
   * chunks count at `costFactor` (by default the scheduler's) times their
   * expected run time. `worst`: how late (ms; negative: how
   * early) the latest later chunk would finish (-Infinity with none);
   * `slack`: each chunk's time to spare; `atRisk`: the first waiting later
   * chunk, in running order, that would finish later than its deadline less
   * the margin.
   */
  private forecast(
    epochNow: number,
    lazy: boolean,
    delayMs: number,
    {
      candidate,
      candidateAt,
      moved,
      costFactor = this.costFactor,
    }: { candidate?: Job; candidateAt?: EpochMs; moved?: Job; costFactor?: number } = {},
  ): Projection {
    const monoNow = performance.now();
    const left = (r: Running) => Math.max(0, r.expectedMs - this.progressMs(r.mark, monoNow));
    /** Later chunks' run times, with room for the pace's error. */
    const cost = (ms: number) => ms * costFactor;
    let delay = delayMs + (moved ? cost(moved.expectedMs) : 0);
    for (const r of this.running) if (r.mark.lane === "urgent") delay += left(r);
    const laneFree = epochNow + delay;
    const slots: number[] = [];
    const chains: ProjectedChain[] = [];
    let worst = -Infinity;
    const slack = new Map<unknown, number>();
    /** Each stream's chain (its queued or running chunk, then its plan) and when its first audio is (was) ready. */
    const byPlan = new Map<StreamPlan, { base?: number; chain: ProjectedChain }>();
    for (const r of this.running) {
      // the first-chunk lane runs at once, at the cost of the normal lane (`delay`)
      const finish = epochNow + (r.mark.lane === "normal" ? cost(left(r)) + delay : left(r));
      if (r.mark.lane === "normal") slots.push(finish);
      if (!r.first) {
        worst = Math.max(worst, finish - r.deadline);
        slack.set(r, r.deadline - finish);
      }
      if (r.plan)
        byPlan.set(r.plan, {
          base: r.plan.playbackStart ?? (r.first ? finish : undefined),
          chain: { readyAt: finish, chunks: [] },
        });
    }
    while (slots.length < this.concurrency) slots.push(laneFree);
    // A later chunk `moved` to the first-chunk lane runs now, within the delay; its stream goes on after it.
    if (moved?.plan) {
      const base = moved.plan.playbackStart;
      byPlan.set(moved.plan, {
        ...(base !== undefined ? { base } : {}),
        chain: { readyAt: laneFree, chunks: [] },
      });
    }
    for (const j of this.waiting) {
      if (j === moved) continue;
      if (j.first && j !== candidate) continue; // a stream not started yet
      let chain: ProjectedChain;
      let base = j.plan?.playbackStart;
      if (!j.first) {
        const queued = { deadline: j.deadline, expectedMs: cost(j.expectedMs), notBefore: j.notBefore };
        chain = { readyAt: epochNow, chunks: [{ ...queued, key: j, queued: true }] };
      } else if (candidateAt === undefined) {
        chain = { readyAt: laneFree, chunks: [] }; // its first chunk runs within the delay
        base = laneFree;
      } else {
        // its first chunk runs from `candidateAt`, ahead of any later chunk
        const firstChunk = { deadline: candidateAt, expectedMs: j.expectedMs, notBefore: -Infinity, key: j };
        chain = { readyAt: candidateAt, chunks: [firstChunk] };
        base = candidateAt + j.expectedMs;
      }
      if (j.plan) byPlan.set(j.plan, { ...(base !== undefined ? { base } : {}), chain });
      else chains.push(chain);
    }
    for (const plan of this.plans) {
      let at = byPlan.get(plan);
      // Between two chunks (or waiting for its reader): what it asks for next may start now.
      if (!at && plan.playbackStart !== undefined)
        at = { base: plan.playbackStart, chain: { readyAt: epochNow, chunks: [] } };
      if (!at) continue;
      if (at.base !== undefined)
        for (const c of plan.ahead) {
          const deadline = Math.max(at.base + c.dueMs, epochNow + c.dueMs - plan.sentMs);
          if (deadline > epochNow + PLAN_HORIZON_MS) break;
          at.chain.chunks.push({
            key: c,
            deadline,
            expectedMs: cost(c.expectedMs),
            notBefore: c.notBeforeMs === undefined ? -Infinity : deadline - c.dueMs + c.notBeforeMs,
          });
        }
      byPlan.delete(plan);
      chains.push(at.chain);
    }
    // Waiting or running chunks of streams no longer tracked (or never): as they are.
    for (const at of byPlan.values()) chains.push(at.chain);
    const p = project({ epochNow, slots, chains, lazy, margin: PLAYBACK_GUARD_MARGIN_MS });
    for (const [k, v] of slack) p.slack.set(k, v);
    return { ...p, worst: Math.max(worst, p.worst) };
  }
}

/**
 * Whether some chunk (not `except`) has less than `min` ms of slack in `after`
 * and at least `beforeMin` (by default `min`) in `before`.
 */
function newlyAtRisk(
  after: Projection,
  before: Projection,
  except: unknown,
  min: number,
  beforeMin = min,
): boolean {
  for (const [k, v] of after.slack)
    if (k !== except && v < min && !((before.slack.get(k) ?? Infinity) < beforeMin)) return true;
  return false;
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
