/**
 * Limits shared by gateway replicas, in Postgres.
 *
 * - Rate: one token bucket per caller, refilled and taken in one atomic
 *   upsert, timed by the database's clock (replicas' clocks may differ).
 * - Streams: a row per stream in progress, leased to the replica serving it.
 *   Taking a slot counts the caller's live rows under a transaction-scoped
 *   advisory lock on the caller, so two replicas cannot both take the last
 *   slot. The owner renews its leases every few seconds; a replica that dies
 *   leaves rows that expire within the lease (STREAM_SLOT_LEASE_MS).
 *
 * When Postgres does not answer within STORE_TIMEOUT_MS, limits fall back to
 * this replica's memory (per-replica limits are better than none, or than
 * refusing everyone), /readyz says so, and the next successful call returns
 * to the shared store.
 */
import { sql } from "drizzle-orm";
import { withDeadline, type Db, type Logger } from "@kokoro-edge/runtime";
import { MemoryLimits, type LimitStore } from "./store";
import type { Take } from "./token-bucket";

const RENEW_FRACTION = 3; // leases are renewed three times per lease
const STORE_TIMEOUT_MS = 500;
const BUCKET_IDLE_MS = 3_600_000;

const rowsOf = (r: unknown): Record<string, unknown>[] =>
  Array.isArray(r) ? r : ((r as { rows?: Record<string, unknown>[] }).rows ?? []);

export class PostgresLimits implements LimitStore {
  private readonly fallback = new MemoryLimits();
  private degraded = false;
  private readonly mine = new Set<string>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly db: Db,
    /** This replica (owner of the slots it takes). */
    private readonly owner: string,
    private readonly log: Logger,
    /** How long a slot outlives a replica that stopped renewing it (STREAM_SLOT_LEASE_MS). */
    private readonly leaseMs = 30_000,
  ) {
    this.timer = setInterval(() => void this.maintain(), Math.max(250, Math.floor(leaseMs / RENEW_FRACTION)));
    (this.timer as { unref?: () => void }).unref?.();
  }

  mode() {
    return this.degraded ? ("memory-fallback" as const) : ("shared" as const);
  }

  private async shared<T>(what: string, run: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      const out = await withDeadline(run(), STORE_TIMEOUT_MS);
      if (this.degraded) {
        this.degraded = false;
        this.log.info("limits are shared again (Postgres answers)");
      }
      return out;
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.log.warn("limits fall back to this replica's memory: the shared store did not answer", {
          what,
          error: (err as Error).message,
        });
      }
      return local();
    }
  }

  take(caller: string, rpm: number): Promise<Take> {
    if (rpm <= 0) return Promise.resolve({ ok: true, remaining: Infinity, retryAfterS: 0 });
    return this.shared(
      "rate",
      async () => {
        const perMs = rpm / 60_000;
        // refill from the database's clock, then take one token if there is one
        const r = await this.db.execute(sql`
          with now as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms)
          insert into rate_buckets as b (id, tokens, at_ms, last_ok)
          select ${caller}, ${rpm}::float8 - 1, now.ms, true from now
          on conflict (id) do update set
            tokens = least(${rpm}::float8, b.tokens + greatest(0, excluded.at_ms - b.at_ms) * ${perMs}::float8)
                     - case when least(${rpm}::float8, b.tokens + greatest(0, excluded.at_ms - b.at_ms) * ${perMs}::float8) >= 1 then 1 else 0 end,
            last_ok = least(${rpm}::float8, b.tokens + greatest(0, excluded.at_ms - b.at_ms) * ${perMs}::float8) >= 1,
            at_ms = excluded.at_ms
          returning tokens, last_ok`);
        const row = rowsOf(r)[0]!;
        const tokens = Number(row.tokens);
        const ok = row.last_ok === true || row.last_ok === "t";
        return ok
          ? { ok, remaining: Math.floor(tokens), retryAfterS: 0 }
          : { ok, remaining: 0, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      },
      () => this.fallback.take(caller, rpm),
    );
  }

  acquireSlot(caller: string, max: number): Promise<(() => void) | undefined> {
    if (max <= 0) return Promise.resolve(() => {});
    return this.shared(
      "streams",
      async () => {
        const id = crypto.randomUUID();
        const got = await this.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`slots:${caller}`}))`);
          const [row] = rowsOf(
            await tx.execute(
              sql`select count(*)::int as n from stream_slots where caller = ${caller} and expires_at > clock_timestamp()`,
            ),
          );
          if (Number(row?.n ?? 0) >= max) return false;
          await tx.execute(
            sql`insert into stream_slots (id, caller, owner, expires_at) values (${id}, ${caller}, ${this.owner}, clock_timestamp() + ${`${this.leaseMs} milliseconds`}::interval)`,
          );
          return true;
        });
        if (!got) return undefined;
        this.mine.add(id);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.mine.delete(id);
          this.db.execute(sql`delete from stream_slots where id = ${id}`).catch((err) =>
            this.log.warn("a stream slot was not released; its lease will expire", {
              error: (err as Error).message,
            }),
          );
        };
      },
      () => this.fallback.acquireSlot(caller, max),
    );
  }

  activeSlots(caller: string): Promise<number> {
    return this.shared(
      "streams",
      async () =>
        Number(
          rowsOf(
            await this.db.execute(
              sql`select count(*)::int as n from stream_slots where caller = ${caller} and expires_at > clock_timestamp()`,
            ),
          )[0]?.n ?? 0,
        ),
      () => this.fallback.activeSlots(caller),
    );
  }

  /** Renew this replica's leases; forget expired slots and idle buckets. */
  private async maintain() {
    try {
      const ids = [...this.mine];
      if (ids.length)
        await this.db.execute(
          sql`update stream_slots set expires_at = clock_timestamp() + ${`${this.leaseMs} milliseconds`}::interval where id = any(${ids}::text[])`,
        );
      await this.db.execute(
        sql`delete from stream_slots where expires_at < clock_timestamp() - interval '1 minute'`,
      );
      await this.db.execute(
        sql`delete from rate_buckets where at_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint - ${BUCKET_IDLE_MS}`,
      );
    } catch (err) {
      this.log.debug("limit maintenance failed", { error: (err as Error).message });
    }
  }

  async stop() {
    clearInterval(this.timer);
    // this replica's slots are gone with it
    await this.db.execute(sql`delete from stream_slots where owner = ${this.owner}`).catch(() => {});
  }
}
