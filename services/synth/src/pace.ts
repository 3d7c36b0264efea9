/**
 * Inference time per token on this worker, as an exponentially weighted
 * average of what it measured (a fixed cost per chunk plus a cost per token
 * would fit better; per token with a floor is enough to plan a margin).
 */
export class InferencePace {
  private msPerToken: number;
  private samples = 0;

  constructor(initialMsPerToken = 20) {
    this.msPerToken = initialMsPerToken;
  }

  observe(tokens: number, ms: number) {
    if (tokens <= 0 || !Number.isFinite(ms)) return;
    const x = ms / tokens;
    this.samples++;
    const alpha = this.samples < 5 ? 0.5 : 0.2;
    this.msPerToken = this.msPerToken * (1 - alpha) + x * alpha;
  }

  expectedMs(tokens: number): number {
    return Math.max(20, this.msPerToken * tokens);
  }
}
