/**
 * Inference time per token on this worker, as an exponentially weighted
 * average of what it measured (a fixed cost per chunk plus a cost per token
 * would fit better; per token with a floor is enough to plan a margin).
 * First chunks and later chunks are timed apart: a first chunk is short, so
 * the fixed cost of a run weighs more on each of its tokens, and it runs in
 * its own lane. A later chunk is observed at what it cost the engine: with a
 * first-chunk lane it runs at low priority and loses the cores to every first
 * chunk that overtakes it, and the caller takes that time off its wall time.
 * (Counted in, that time would swell the later pace exactly when the worker
 * is busiest, and the scheduler, which adds the first-chunk lane's work on
 * top, would count it twice.)
 */
export class InferencePace {
  private readonly rates: Record<"first" | "later", { msPerToken: number; samples: number }>;

  constructor(initialMsPerToken = 20) {
    this.rates = {
      first: { msPerToken: initialMsPerToken, samples: 0 },
      later: { msPerToken: initialMsPerToken, samples: 0 },
    };
  }

  observe(tokens: number, ms: number, first = false) {
    if (tokens <= 0 || !Number.isFinite(ms)) return;
    const r = this.rates[first ? "first" : "later"];
    r.samples++;
    const alpha = r.samples < 5 ? 0.5 : 0.2;
    r.msPerToken = r.msPerToken * (1 - alpha) + (ms / tokens) * alpha;
  }

  expectedMs(tokens: number, first = false): number {
    return Math.max(20, this.rates[first ? "first" : "later"].msPerToken * tokens);
  }
}
