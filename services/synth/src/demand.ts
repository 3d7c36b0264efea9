/**
 * The engine time new streams ask of a worker per second, over a sliding
 * window. Each stream's whole cost is known when it arrives (all its chunks'
 * tokens at the engine's pace), so this measures the load offered, not the
 * work done: over capacity the work done stays at 1.0 while what is asked
 * grows. A worker whose streams ask for more engine time than it has must let
 * some stream fall behind whatever the order; the scheduler then lets new
 * streams' first chunks win (see DeadlineScheduler).
 *
 * A worker that was idle has no window's worth of arrivals yet: until it has,
 * the demand is taken over the time it has been arriving (at least
 * `minSpanMs`), so a worker that goes from idle to overloaded says so within
 * seconds, not only once a whole window has filled.
 */
export class DemandMeter {
  private arrivals: { at: number; ms: number }[] = [];
  private sum = 0;
  /** The first arrival since the window was last empty. */
  private since?: number;

  constructor(
    private readonly windowMs: number,
    private readonly minSpanMs = windowMs / 2,
  ) {}

  /** A stream arrived at `at` (ms) that will take `ms` of engine time. */
  add(at: number, ms: number) {
    if (!(ms > 0)) return;
    this.expire(at);
    this.since ??= at;
    this.arrivals.push({ at, ms });
    this.sum += ms;
  }

  /** Engine seconds asked per second over the window ending at `now` (1.0: all of one engine). */
  rate(now: number): number {
    this.expire(now);
    if (this.since === undefined) return 0;
    return this.sum / Math.max(this.minSpanMs, Math.min(this.windowMs, now - this.since));
  }

  private expire(now: number) {
    while (this.arrivals.length && this.arrivals[0]!.at <= now - this.windowMs)
      this.sum -= this.arrivals.shift()!.ms;
    if (!this.arrivals.length) {
      this.sum = 0; // no drift from floating-point sums
      this.since = undefined;
    }
  }
}
