import type { Bus, Database, Logger } from "@kokoro-edge/runtime";
import type { HedgeBudget } from "./pipeline/hedge-policy";
import type { SynthStreamOptions } from "./pipeline/speak";
import type { KeyCache } from "./auth/middleware";
import type { GatewayConfig } from "./config";
import type { RateLimiter, StreamSlots } from "./limits/token-bucket";
import type { SpeechOutcome, UsageRecorder } from "./limits/usage";
import type { GatewayMetrics } from "./metrics";
import type { LimitStore } from "./limits/store";
import type { EncoderPool } from "./encoders/pool";
import type { Registry } from "@kokoro-edge/runtime";
import type { JobRunner } from "./jobs/runner";
import type { JobStore } from "./jobs/store";
import type { JobEvents } from "./jobs/events";

/** Everything a route needs, passed explicitly (no globals). */
export interface GatewayDeps {
  bus: Bus;
  /** How every synth stream behaves (credit, failover, hedging, their metrics): built once, from the configuration. */
  synth: SynthStreamOptions;
  config: GatewayConfig;
  log: Logger;
  metrics: GatewayMetrics;
  /** Hedges under way at once across this gateway's streams (absent: only the per-stream limit). */
  hedgeBudget?: HedgeBudget;
  /** Database ping for /readyz (absent: no database check). */
  dbPing?: () => Promise<boolean>;
  onSpeechDone?: (o: SpeechOutcome) => void;
  /** API keys, usage records (absent: open mode only, nothing recorded). */
  db?: Database;
  /** Cached API key lookups (present when there is a database). */
  keys?: KeyCache;
  /** Wrong keys and admin tokens per client, counted by this replica (created by createApp when absent). */
  limiter?: RateLimiter;
  /** Per-caller request rate and concurrent streams: shared by replicas on Postgres, else in memory. */
  limits?: LimitStore;
  /** Threads for lossy encoding (ENCODER_THREADS); absent: responses are encoded on the event loop. */
  encoderPool?: EncoderPool;
  /** Writes speech_requests rows (present when there is a database). */
  usage?: UsageRecorder;
  /** Durable jobs (present when there is a database). */
  jobs?: {
    store: JobStore;
    runner: JobRunner;
    dir: string;
    /** Progress pushed over the bus to event streams on every gateway. */
    events: JobEvents;
    /** Event streams open per caller (MAX_EVENT_STREAMS_PER_KEY). */
    eventSlots: StreamSlots;
  };
  /**
   * The model mirror's Hugging Face routes, served on the gateway's port (the
   * one-process setup, where the mirror has no port of its own).
   */
  hub?: (req: Request) => Promise<Response>;
  /** Metrics of services in the same process (the one-process setup), added to /metrics. */
  moreMetrics?: Registry[];
}

export type { SpeechOutcome } from "./limits/usage";
