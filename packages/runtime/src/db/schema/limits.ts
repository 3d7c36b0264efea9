/**
 * Per-caller limits shared by every gateway replica (Postgres): a request
 * rate as a token bucket per caller, and concurrent streams as leased slots
 * (a replica renews its slots' leases while their streams run; a dead
 * replica's slots expire, so a crash never locks a key out for long).
 */
import { bigint, boolean, doublePrecision, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const rateBuckets = pgTable("rate_buckets", {
  /** The caller: `key:<id>` or `ip:<address>`. */
  id: text("id").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  /** When `tokens` was computed, in the database's clock (ms since the epoch). */
  atMs: bigint("at_ms", { mode: "number" }).notNull(),
  /** Whether the last take found a token. */
  lastOk: boolean("last_ok").notNull(),
});

export const streamSlots = pgTable(
  "stream_slots",
  {
    id: text("id").primaryKey(),
    caller: text("caller").notNull(),
    /** The gateway replica holding it (it renews the lease). */
    owner: text("owner").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("stream_slots_caller").on(t.caller, t.expiresAt), index("stream_slots_owner").on(t.owner)],
);
