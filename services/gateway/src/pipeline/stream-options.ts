/**
 * The synth client's options from the gateway's configuration, in one place,
 * so every route (speech, subtitles, jobs) streams with the same failover
 * and hedging behaviour and counts it in the same metrics.
 */
import type { GatewayConfig } from "../config";
import type { FailoverEvents, SynthesizeOptions } from "./synth-client";
import { DEFAULT_HEDGE_POLICY, type HedgeBudget } from "./hedge-policy";

export type SynthStreamConfig = Pick<
  GatewayConfig,
  | "STREAM_CREDIT"
  | "STREAM_MAX_RESUMES"
  | "STREAM_IDLE_TIMEOUT_MS"
  | "STREAM_HEARTBEAT_MS"
  | "STREAM_MAX_HEDGES"
  | "STREAM_HEDGE_MARGIN_MS"
>;

export function synthStreamOptions(
  c: SynthStreamConfig,
  events?: FailoverEvents,
  hedgeBudget?: HedgeBudget,
): Omit<SynthesizeOptions, "log" | "signal"> {
  return {
    credit: c.STREAM_CREDIT,
    maxResumes: c.STREAM_MAX_RESUMES,
    idleTimeoutMs: c.STREAM_IDLE_TIMEOUT_MS,
    heartbeatMs: c.STREAM_HEARTBEAT_MS || undefined,
    hedge:
      c.STREAM_MAX_HEDGES > 0
        ? { ...DEFAULT_HEDGE_POLICY, maxPerStream: c.STREAM_MAX_HEDGES, marginMs: c.STREAM_HEDGE_MARGIN_MS }
        : false,
    hedgeBudget,
    events,
  };
}
