/** The realtime sockets' settings, from the gateway's configuration (REALTIME_*). */
import type { GatewayConfig } from "../config";
import type { SegmenterOptions } from "./segmenter";
import { SEGMENTER_DEFAULTS } from "./segmenter";

export interface RealtimeSettings {
  idleFlushMs: number;
  idleTimeoutMs: number;
  maxSockets: number;
  charsPerMinute: number;
  segmenter: SegmenterOptions;
}

export function realtimeSettings(c: GatewayConfig): RealtimeSettings {
  return {
    idleFlushMs: c.REALTIME_IDLE_FLUSH_MS,
    idleTimeoutMs: c.REALTIME_IDLE_TIMEOUT_S * 1000,
    maxSockets: c.REALTIME_MAX_SOCKETS_PER_KEY,
    charsPerMinute: c.REALTIME_CHARS_PER_MINUTE,
    segmenter: { ...SEGMENTER_DEFAULTS, minClauseWords: c.REALTIME_MIN_CLAUSE_WORDS },
  };
}
