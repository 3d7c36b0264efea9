/**
 * When a stream's producer has been silent long enough to call it dead.
 *
 * A fixed 5 s threshold made every failover a multi-second stall. Instead the
 * consumer asks for heartbeats every `heartbeatMs` and learns how irregular
 * they actually arrive (the gaps between any two messages from the producer):
 * the threshold is the mean gap plus several deviations, never less than a
 * few heartbeats (one late heartbeat is not a death) and never more than the
 * caller's ceiling. A producer whose event loop stalls now and then (GC) widens
 * its own threshold; a steady one is declared dead a few hundred ms after it
 * stops.
 */
export interface SilenceOptions {
  heartbeatMs: number;
  /** Never wait longer than this (the stream's idle timeout). */
  ceilingMs: number;
  /** Never declare death sooner than this many heartbeat intervals (default 3)... */
  minBeats?: number;
  /** ...nor sooner than this (ms; default 0): a consumer whose own event loop stalls at times (a busy gateway) hears heartbeats late. */
  floorMs?: number;
  /** Deviations above the mean gap that still count as alive (default 6). */
  deviations?: number;
}

export class SilenceDetector {
  private mean: number;
  private dev: number;
  private readonly minMs: number;
  private readonly k: number;

  constructor(private readonly o: SilenceOptions) {
    this.mean = o.heartbeatMs;
    this.dev = o.heartbeatMs / 4;
    this.minMs = Math.max(o.floorMs ?? 0, (o.minBeats ?? 3) * o.heartbeatMs);
    this.k = o.deviations ?? 6;
  }

  /** A gap (ms) between two messages from the producer. */
  observe(gapMs: number): void {
    if (!(gapMs >= 0)) return;
    // Gaps far shorter than a heartbeat (bursts of data) say nothing about jitter.
    if (gapMs < this.o.heartbeatMs / 2) return;
    const err = gapMs - this.mean;
    this.mean += err / 8;
    this.dev += (Math.abs(err) - this.dev) / 4;
  }

  /** Silence (ms) after which the producer counts as gone. */
  thresholdMs(): number {
    return Math.min(this.o.ceilingMs, Math.max(this.minMs, this.mean + this.k * this.dev));
  }
}
