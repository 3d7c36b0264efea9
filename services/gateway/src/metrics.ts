/**
 * The gateway's metrics, in its own registry (see the runtime's metrics
 * module for the process metrics exported beside them).
 */
import { Counter, Gauge, Histogram, Registry } from "@kokoro-edge/runtime";
const TTFA_BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5, 10];
const RTF_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5];

/** How a stream's audio reaches the client: raw audio bytes, or base64 in server-sent events. */
export type Transport = "audio" | "sse" | "websocket";

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: "kokoro_http_requests_total",
    help: "HTTP requests by route, method and status.",
    labelNames: ["route", "method", "status"],
    registers: [this.registry],
  });
  private readonly ttfa = new Histogram({
    name: "kokoro_ttfa_seconds",
    help: "Time from request to the first audio byte, by route, audio format and transport.",
    labelNames: ["route", "format", "transport"],
    buckets: TTFA_BUCKETS,
    registers: [this.registry],
  });
  private readonly rtf = new Histogram({
    name: "kokoro_stream_rtf",
    help: "Real-time factor of finished streams (wall time / audio time).",
    labelNames: ["route"],
    buckets: RTF_BUCKETS,
    registers: [this.registry],
  });
  private readonly failovers = new Counter({
    name: "kokoro_synth_failovers_total",
    help: "Synth streams moved to another replica mid-stream, by how the loss was noticed (no_responders, gone, silence, hedge, sequence_gap).",
    labelNames: ["by"],
    registers: [this.registry],
  });
  private readonly hedges = new Counter({
    name: "kokoro_synth_hedges_total",
    help: "Overdue chunks asked of a second synth replica, by outcome: won (the second answered first), lost (the first did: a false alarm), failed (no second replica took it), skipped (the gateway's STREAM_MAX_CONCURRENT_HEDGES were all under way).",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  private active = 0;
  /** Set by the readiness poller: chunks waiting in all synth replicas, as this gateway sees them. */
  synthQueueDepth = 0;
  synthReplicasReady = 0;

  constructor() {
    const self = this;
    new Gauge({
      name: "kokoro_active_streams",
      help: "Speech streams in progress on this gateway.",
      registers: [this.registry],
      collect() {
        this.set(self.active);
      },
    });
    // Not `kokoro_synth_queue_depth`: that name is each synth worker's own queue, and a
    // sum() over every scraped pod must not count the cluster's queue again per gateway.
    new Gauge({
      name: "kokoro_gateway_synth_queue_depth",
      help: "Chunks waiting for inference across all synth replicas, as this gateway sees them.",
      registers: [this.registry],
      collect() {
        this.set(self.synthQueueDepth);
      },
    });
    new Gauge({
      name: "kokoro_synth_replicas_ready",
      help: "Synth replicas with a model loaded, as this gateway sees them.",
      registers: [this.registry],
      collect() {
        this.set(self.synthReplicasReady);
      },
    });
  }

  countRequest(route: string, method: string, status: number) {
    this.requests.inc({ route, method, status: String(status) });
  }

  observeTtfa(seconds: number, labels: { route: string; format: string; transport: Transport }) {
    this.ttfa.observe(labels, seconds);
  }

  /** A stream in progress; `done` records its real-time factor (wall time / audio time). */
  trackStream(route = "/v1/audio/speech") {
    this.active++;
    const t0 = performance.now();
    let ended = false;
    return {
      done: (audioSeconds?: number) => {
        if (ended) return;
        ended = true;
        this.active--;
        if (audioSeconds && audioSeconds > 0)
          this.rtf.observe({ route }, (performance.now() - t0) / 1000 / audioSeconds);
      },
    };
  }

  /** Hooks for the synth client (pipeline/synth-client.ts) that count failovers and hedges. */
  readonly failoverEvents = {
    failover: (by: string) => this.failovers.inc({ by }),
    hedge: (outcome: "won" | "lost" | "failed" | "skipped") => this.hedges.inc({ outcome }),
  };

  get activeStreams() {
    return this.active;
  }
}
