/**
 * When a synth replica is late enough with a chunk to ask a second one.
 *
 * A replica that is alive (its heartbeats arrive) but slow - a GC pause, a
 * stalled core, an overloaded host - is not a failover: the stream would only
 * move after the idle timeout. Hedging asks another replica for the same
 * chunk once this chunk is overdue; inference is deterministic, so whichever
 * answers first is kept and the other is cancelled.
 *
 * Overdue means: past both (a) the time the chunk should take, learned from
 * what this stream's earlier chunks cost (the replica reports each chunk's
 * inference time), counted from when the client started waiting for it, and
 * (b) the moment the audio already received runs out when played in real
 * time (a replica that schedules just in time delivers near then, and is not
 * late) - plus a margin. A merely slow chunk therefore costs at most one
 * hedge; the stream's hedge budget bounds the rest.
 */
export interface HedgePolicy {
  /** Extra wait beyond the expected time before hedging (ms). */
  marginMs: number;
  /** The wait before hedging when this stream has no measured chunk yet (ms). */
  firstChunkMs: number;
  /** Hedges one stream may start in all. */
  maxPerStream: number;
}

export const DEFAULT_HEDGE_POLICY: HedgePolicy = { marginMs: 250, firstChunkMs: 3_000, maxPerStream: 2 };

/**
 * Hedges under way at once across every stream of this gateway. When many
 * streams run late together the replicas are overloaded, not broken: hedging
 * them all would double the load that made them late. Past the limit an
 * overdue chunk just waits (and failover still covers a replica that dies).
 */
export class HedgeBudget {
  private inFlight = 0;
  constructor(readonly limit: number) {}

  /** A hedge may start (then call the returned release once it ended), or undefined. */
  take(): (() => void) | undefined {
    if (this.inFlight >= this.limit) return undefined;
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
    };
  }

  get active(): number {
    return this.inFlight;
  }
}

/** What this stream's chunks cost per token, learned from their reported inference times. */
export class ChunkPace {
  private msPerToken?: number;

  observe(tokens: number, inferenceMs: number): void {
    if (!(tokens > 0) || !(inferenceMs >= 0)) return;
    const rate = inferenceMs / tokens;
    // The slowest recent rate counts most: hedging on an optimistic guess is the costly mistake.
    this.msPerToken =
      this.msPerToken === undefined ? rate : Math.max(rate, this.msPerToken * 0.8 + rate * 0.2);
  }

  expectedMs(tokens: number): number | undefined {
    return this.msPerToken === undefined ? undefined : this.msPerToken * tokens;
  }
}

export interface HedgeTiming {
  /** When the client started waiting for the message (ms, any clock). */
  waitingSince: number;
  /** The chunk's expected inference time, if known. */
  expectedMs: number | undefined;
  /** When the audio received so far runs out in real-time playback (same clock), if audio has started. */
  audioRunsOutAt: number | undefined;
}

/** The time (same clock as the inputs) after which the chunk waited for is overdue. */
export function hedgeAt(t: HedgeTiming, policy: HedgePolicy): number {
  const work = t.expectedMs === undefined ? policy.firstChunkMs : t.expectedMs;
  return Math.max(t.waitingSince + work, t.audioRunsOutAt ?? -Infinity) + policy.marginMs;
}
