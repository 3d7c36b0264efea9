/**
 * Studio projects: a subtitle or text document with its edits (cues, times,
 * speakers, voices, speeds) and its speaker-to-voice map, kept as one JSON
 * document. Scoped like jobs: the API key's id, or "open" in open mode.
 */
import { index, jsonb, pgTable, text, timestamp, integer } from "drizzle-orm/pg-core";

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    scope: text("scope").notNull(),
    name: text("name").notNull(),
    /** The validated project document (see the gateway's ProjectDocument schema). */
    document: jsonb("document").notNull(),
    cueCount: integer("cue_count").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("projects_scope_updated").on(t.scope, t.updatedAt)],
);
