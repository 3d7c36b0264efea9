import { Histogram, MetricFamily, renderMetrics } from "@kokoro-edge/runtime";

/** g2p's /metrics: how long texts take, and how requests end. */
export class G2pMetrics {
  readonly latency = new Histogram("kokoro_g2p_seconds", "Time to phonemize a request (whole text).", [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  readonly requests = new MetricFamily("kokoro_g2p_requests_total", "Requests by outcome (ok, or the error code).", "counter");
  readonly chars = new MetricFamily("kokoro_g2p_chars_total", "Characters phonemized.", "counter");

  render(): string {
    return renderMetrics([this.latency, this.requests, this.chars]);
  }
}
