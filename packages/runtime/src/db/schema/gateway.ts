/** The gateway's API keys and its per-request log. */
import { index, integer, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";

export const apiKeys = pgTable("api_keys", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text("name").notNull(),
  /** The first characters of the key, shown to operators to tell keys apart. */
  keyPrefix: text("key_prefix").notNull(),
  /** sha256 (hex) of the whole key; the key itself is never stored. */
  keyHash: text("key_hash").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  /** Requests per minute for this key; null = the gateway's default. */
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  /** Concurrent streams for this key; null = the gateway's default. */
  maxStreams: integer("max_streams"),
});

export const speechRequests = pgTable(
  "speech_requests",
  {
    id: text("id").primaryKey(),
    apiKeyId: text("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    route: text("route").notNull(),
    model: text("model"),
    voice: text("voice"),
    inputChars: integer("input_chars").notNull().default(0),
    responseFormat: text("response_format"),
    /** started | ok | error | cancelled */
    status: text("status").notNull(),
    errorCode: text("error_code"),
    /** Time to first audio, in milliseconds. */
    ttfaMs: integer("ttfa_ms"),
    audioSeconds: real("audio_seconds"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("speech_requests_created").on(t.createdAt),
    index("speech_requests_key").on(t.apiKeyId, t.createdAt),
  ],
);
