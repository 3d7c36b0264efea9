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
/**
 * Kokoro speaks about 14 phoneme tokens a second at speed 1; starting a little
 * short makes the first plans' deadlines early, which errs on the safe side.
 */
const INITIAL_SPEECH_S_PER_TOKEN = 0.06;

export class InferencePace {
  private readonly rates: Record<"first" | "later", { msPerToken: number; samples: number }>;
  /** Seconds of speech per token, to say when a chunk not made yet will be due (see StreamPlan). */
  private speech = { secondsPerToken: INITIAL_SPEECH_S_PER_TOKEN, samples: 0 };

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

  /** A chunk of `tokens` made `seconds` of speech (trimmed, before its pause). */
  observeSpeech(tokens: number, seconds: number) {
    if (tokens <= 0 || !(seconds >= 0)) return;
    const r = this.speech;
    r.samples++;
    const alpha = r.samples < 5 ? 0.5 : 0.2;
    r.secondsPerToken = r.secondsPerToken * (1 - alpha) + (seconds / tokens) * alpha;
  }

  /** Seconds of speech a chunk of `tokens` is expected to make. */
  speechSeconds(tokens: number): number {
    return this.speech.secondsPerToken * tokens;
  }
}
