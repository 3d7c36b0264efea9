/**
 * The engine time new streams ask of a worker per second, over a sliding
 * window. Each stream's whole cost is known when it arrives (all its chunks'
 * tokens at the engine's pace), so this measures the load offered, not the
 * work done: over capacity the work done stays at 1.0 while what is asked
 * grows. A worker whose streams ask for more engine time than it has must let
 * some stream fall behind whatever the order; the scheduler then lets new
 * streams' first chunks win (see DeadlineScheduler).
 */
export class DemandMeter {
  private arrivals: { at: number; ms: number }[] = [];
  private sum = 0;

  constructor(private readonly windowMs: number) {}

  /** A stream arrived at `at` (ms) that will take `ms` of engine time. */
  add(at: number, ms: number) {
    if (!(ms > 0)) return;
    this.arrivals.push({ at, ms });
    this.sum += ms;
    this.expire(at);
  }

  /** Engine seconds asked per second over the window ending at `now` (1.0: all of one engine). */
  rate(now: number): number {
    this.expire(now);
    return this.sum / this.windowMs;
  }

  private expire(now: number) {
    while (this.arrivals.length && this.arrivals[0]!.at <= now - this.windowMs)
      this.sum -= this.arrivals.shift()!.ms;
    if (!this.arrivals.length) this.sum = 0; // no drift from floating-point sums
  }
}
