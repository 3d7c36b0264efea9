/**
 * Durable jobs (long speech and subtitle renders). A job is rendered cue by
 * cue; after every cue its resume point and the cue reports are saved, so a
 * gateway or worker that dies mid-render costs at most the cues in flight.
 * A lease (owner + expiry) says which gateway renders it; an expired lease
 * lets any gateway take the job over.
 */
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    /** The API key that created it (null in open mode). */
    apiKeyId: text("api_key_id"),
    /** Idempotency keys are unique within a scope: the API key id, or "open". */
    scope: text("scope").notNull(),
    idempotencyKey: text("idempotency_key"),
    /** subtitles | speech (a plain-text document) */
    kind: text("kind").notNull(),
    /** queued | running | succeeded | failed | cancelled */
    status: text("status").notNull(),
    /** The validated request: document text, format, voices, speed, cap, output format. */
    request: jsonb("request").notNull(),
    cuesTotal: integer("cues_total").notNull().default(0),
    cuesDone: integer("cues_done").notNull().default(0),
    /** Where to resume: the next cue to render and the sample from which output is not final. */
    resumeIndex: integer("resume_index").notNull().default(0),
    resumeSample: integer("resume_sample").notNull().default(0),
    /** Per-cue reports so far (the timeline report's `cues`). */
    report: jsonb("report").notNull().default([]),
    error: jsonb("error"),
    /** Finished audio (encoded), relative to the jobs directory. */
    audioFile: text("audio_file"),
    audioBytes: integer("audio_bytes"),
    audioMs: integer("audio_ms"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** When the finished audio is deleted (retention). */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("jobs_idempotency").on(t.scope, t.idempotencyKey),
    index("jobs_runnable").on(t.status, t.leaseExpiresAt),
    index("jobs_expires").on(t.expiresAt),
  ],
);
