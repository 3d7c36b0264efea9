/** g2p's metrics, in its own registry: how long texts take, and how requests end. */
import { Counter, Histogram, Registry, exposition } from "@kokoro-edge/runtime";

export class G2pMetrics {
  readonly registry = new Registry();
  readonly latency = new Histogram({
    name: "kokoro_g2p_seconds",
    help: "Time to phonemize a request (whole text).",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: "kokoro_g2p_requests_total",
    help: "Requests by outcome (ok, or the error code).",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly chars = new Counter({
    name: "kokoro_g2p_chars_total",
    help: "Characters phonemized.",
    registers: [this.registry],
  });

  /** The whole /metrics body of a g2p process (process metrics included). */
  render(): Promise<string> {
    return exposition(this.registry);
  }
}
