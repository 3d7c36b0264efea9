/**
 * Inference time per token on this worker, as an exponentially weighted
 * average of what it measured (a fixed cost per chunk plus a cost per token
 * would fit better; per token with a floor is enough to plan a margin).
 * First chunks and later chunks are timed apart: with a first-chunk lane a
 * later chunk runs at low priority and is slowed by every first chunk that
 * overtakes it, so its time says nothing about how long a first chunk takes.
 */
export class InferencePace {
  private readonly rates: Record<"first" | "later", { msPerToken: number; samples: number }>;

  constructor(initialMsPerToken = 20) {
    this.rates = { first: { msPerToken: initialMsPerToken, samples: 0 }, later: { msPerToken: initialMsPerToken, samples: 0 } };
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
