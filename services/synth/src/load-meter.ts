/**
 * How busy the engine has been lately: the fraction of the last `windowMs`
 * during which at least one inference was running. Near 1 the worker is at
 * capacity: it cannot keep every stream fed and start new ones at once.
 */
export class LoadMeter {
  private busySince?: number;
  /** Finished busy periods [start, end], oldest first, trimmed to the window. */
  private periods: Array<[number, number]> = [];

  constructor(private readonly windowMs = 10_000) {}

  /** The number of running inferences changed to `running`. */
  update(running: number, now = Date.now()) {
    if (running > 0 && this.busySince === undefined) this.busySince = now;
    else if (running === 0 && this.busySince !== undefined) {
      this.periods.push([this.busySince, now]);
      this.busySince = undefined;
    }
  }

  utilisation(now = Date.now()): number {
    const from = now - this.windowMs;
    while (this.periods.length && this.periods[0]![1] <= from) this.periods.shift();
    let busy = 0;
    for (const [s, e] of this.periods) busy += e - Math.max(s, from);
    if (this.busySince !== undefined) busy += now - Math.max(this.busySince, from);
    return busy / this.windowMs;
  }
}
