/** Prometheus text metrics for the gateway. */
import { Histogram } from "@kokoro-edge/runtime";
const TTFA_BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5, 10];
const RTF_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5];

export class GatewayMetrics {
  private requests = new Map<string, number>();
  private ttfa = new Histogram("kokoro_ttfa_seconds", "Time from request to the first audio byte.", TTFA_BUCKETS);
  private rtf = new Histogram("kokoro_stream_rtf", "Real-time factor of finished streams (wall time / audio time).", RTF_BUCKETS);
  private active = 0;
  /** Set by the readiness poller: chunks waiting in all synth replicas. */
  synthQueueDepth = 0;
  synthReplicasReady = 0;

  countRequest(route: string, method: string, status: number) {
    const key = `route="${route}",method="${method}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  observeTtfa(seconds: number) {
    this.ttfa.observe(seconds);
  }

  /** A stream in progress; `done` records its real-time factor (wall time / audio time). */
  trackStream() {
    this.active++;
    const t0 = performance.now();
    let ended = false;
    return {
      done: (audioSeconds?: number) => {
        if (ended) return;
        ended = true;
        this.active--;
        if (audioSeconds && audioSeconds > 0) this.rtf.observe((performance.now() - t0) / 1000 / audioSeconds);
      },
    };
  }

  get activeStreams() {
    return this.active;
  }

  render(): string {
    const out = [
      "# HELP kokoro_http_requests_total HTTP requests by route and status.",
      "# TYPE kokoro_http_requests_total counter",
      ...[...this.requests].map(([k, v]) => `kokoro_http_requests_total{${k}} ${v}`),
      this.ttfa.render(),
      this.rtf.render(),
      "# HELP kokoro_active_streams Speech streams in progress.",
      "# TYPE kokoro_active_streams gauge",
      `kokoro_active_streams ${this.active}`,
      "# HELP kokoro_synth_queue_depth Chunks waiting for inference across synth replicas.",
      "# TYPE kokoro_synth_queue_depth gauge",
      `kokoro_synth_queue_depth ${this.synthQueueDepth}`,
      "# HELP kokoro_synth_replicas_ready Synth replicas with a model loaded.",
      "# TYPE kokoro_synth_replicas_ready gauge",
      `kokoro_synth_replicas_ready ${this.synthReplicasReady}`,
    ];
    return out.join("\n") + "\n";
  }
}
