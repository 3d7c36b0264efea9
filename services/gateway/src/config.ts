import { parseCidrs } from "./auth/client-address";
import { z } from "zod";
import { boolVar, commonConfig, emptyToUndefined, intVar, numVar } from "@kokoro-edge/runtime";

export const configSchema = commonConfig.extend({
  PORT: intVar(8080, 0, 65535),
  HOST: z.string().default("0.0.0.0"),
  /** Longest `input` accepted, in characters. */
  MAX_INPUT_CHARS: intVar(10_000, 1, 10_000_000),
  /** Largest request body, in bytes. */
  MAX_BODY_BYTES: intVar(1_048_576, 1024, 1_073_741_824),
  /** Require API keys. Unset: required iff NATS_URL or DATABASE_URL is set (open only in the embedded setup). */
  API_KEYS_REQUIRED: z.preprocess(emptyToUndefined, boolVar(false).optional()),
  /** Bearer token for /admin/*; unset = admin routes disabled. */
  ADMIN_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional(),
  ),
  /** Requests per minute per API key (per client IP in open mode); 0 = unlimited. Per-key overrides in api_keys. */
  RATE_LIMIT_RPM: intVar(300, 0, 1_000_000),
  /** Concurrent speech streams per API key (per client IP in open mode); 0 = unlimited. */
  MAX_STREAMS_PER_KEY: intVar(8, 0, 100_000),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs, e.g. the
   * ingress's pod range). Unset: the peer address is the client (a header is never trusted).
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseCidrs(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  /** A stream slot held by a gateway replica that stopped renewing it (it died) is free after this long. */
  STREAM_SLOT_LEASE_MS: intVar(30_000, 1_000, 600_000),
  /** Comma-separated allowed origins for CORS; `*` allows any. */
  CORS_ORIGINS: z.string().default("*"),
  /** Data messages a synth stream may run ahead of the client. */
  STREAM_CREDIT: intVar(4, 1, 64),
  /** Re-dispatches of a stream whose worker disappeared. */
  STREAM_MAX_RESUMES: intVar(3, 0, 20),
  /** A stream is lost when its worker says nothing for this long. */
  STREAM_IDLE_TIMEOUT_MS: intVar(5_000, 200, 600_000),
  /** Realtime sockets (/v1/speak, stream-input): buffered text is spoken after this long without new text (ms; 0 = only on Flush). */
  REALTIME_IDLE_FLUSH_MS: intVar(500, 0, 60_000),
  /** A realtime socket with no message and no audio in flight for this long is closed (seconds; 0 = never). */
  REALTIME_IDLE_TIMEOUT_S: intVar(120, 0, 86_400),
  /** Concurrent realtime sockets per API key (per client IP in open mode); 0 = unlimited. A key's max_streams overrides it. */
  REALTIME_MAX_SOCKETS_PER_KEY: intVar(16, 0, 100_000),
  /** Characters of text per minute per API key over all its sockets; 0 = unlimited. */
  REALTIME_CHARS_PER_MINUTE: intVar(100_000, 0, 100_000_000),
  /** Words a phrase needs before a comma, semicolon, colon or dash may end it. */
  REALTIME_MIN_CLAUSE_WORDS: intVar(6, 1, 100),
  /**
   * Heartbeats asked of the synth replica while a stream is open (ms): a replica
   * that stops is then given up after a few missed beats (learned from their
   * jitter, at most STREAM_IDLE_TIMEOUT_MS). 0: the replica's default (1 s) and the idle timeout.
   */
  STREAM_HEARTBEAT_MS: intVar(150, 0, 10_000),
  /** Hedges per stream: a chunk overdue by more than STREAM_HEDGE_MARGIN_MS is asked of a second replica (0: never). */
  STREAM_MAX_HEDGES: intVar(2, 0, 20),
  STREAM_HEDGE_MARGIN_MS: intVar(250, 0, 60_000),
  /** Hedges under way at once across all of this gateway's streams: many late streams at once mean overload, which hedging would make worse. */
  STREAM_MAX_CONCURRENT_HEDGES: intVar(4, 1, 1000),
  /** Threads that encode MP3, Opus and FLAC responses off the event loop (0: on it). */
  ENCODER_THREADS: intVar(1, 0, 64),
  /** Subtitle documents with more cues than this run as jobs instead of streaming. */
  SUBTITLES_SYNC_MAX_CUES: intVar(300, 1, 1_000_000),
  /** Longest subtitle document or job `input`, in characters (MAX_INPUT_CHARS is for /v1/audio/speech). */
  MAX_DOCUMENT_CHARS: intVar(500_000, 1, 100_000_000),
  /** Longest timed cue's text, in characters (plain-text paragraphs are split into pieces instead). */
  SUBTITLES_MAX_CUE_CHARS: intVar(1_000, 1, 1_000_000),
  /** Longest audio track a subtitle render or job makes, in seconds (default 4 h). */
  MAX_TRACK_SECONDS: intVar(14_400, 1, 10_000_000),
  /** Audio bytes a key's retained jobs may hold at once (finished files plus running renders); 0 = unlimited. */
  JOB_MAX_BYTES_PER_KEY: intVar(2_147_483_648, 0, Number.MAX_SAFE_INTEGER),
  /** Fastest speed a cue is re-synthesised at to fit its slot (a request may ask for less). */
  SUBTITLES_MAX_SPEED: numVar(1.35, 1, 4),
  /** Jobs' audio (shared by every gateway replica that may take a job over). Default: DATA_DIR/jobs. */
  JOBS_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  /** The system ffmpeg, used only to make M4A (AAC) from a finished job's audio (no AAC encoder runs in-process). Default: "ffmpeg" on PATH; "off" disables. */
  FFMPEG_PATH: z.string().default("ffmpeg"),
  /** A job whose gateway stops renewing its lease for this long is taken over by another. */
  JOB_LEASE_MS: intVar(15_000, 500, 3_600_000),
  JOB_POLL_MS: intVar(1_000, 50, 60_000),
  /** Jobs rendered at once by this gateway, and cues synthesised in parallel inside one job. */
  JOB_CONCURRENCY: intVar(1, 0, 64),
  JOB_CUE_CONCURRENCY: intVar(2, 1, 16),
  JOB_MAX_ATTEMPTS: intVar(5, 1, 100),
  /** Job progress streams (GET /v1/jobs/{id}/events) open at once per API key (per client IP in open mode); 0 = unlimited. */
  MAX_EVENT_STREAMS_PER_KEY: intVar(16, 0, 100_000),
  /** How long finished audio is kept, in hours. */
  JOB_RETENTION_HOURS: numVar(24, 0, 24 * 365),
});
export type GatewayConfig = z.infer<typeof configSchema>;

/** The render limits (subtitles/limits.ts) from the configuration. */
export function renderLimits(
  config: Pick<GatewayConfig, "MAX_DOCUMENT_CHARS" | "SUBTITLES_MAX_CUE_CHARS" | "MAX_TRACK_SECONDS">,
) {
  return {
    maxDocumentChars: config.MAX_DOCUMENT_CHARS,
    maxCueChars: config.SUBTITLES_MAX_CUE_CHARS,
    maxTrackSeconds: config.MAX_TRACK_SECONDS,
  };
}

/** Whether requests need an API key: explicit, or on whenever the platform is distributed. */
export function apiKeysRequired(
  config: Pick<GatewayConfig, "API_KEYS_REQUIRED" | "NATS_URL" | "DATABASE_URL">,
): boolean {
  return config.API_KEYS_REQUIRED ?? !!(config.NATS_URL || config.DATABASE_URL);
}
