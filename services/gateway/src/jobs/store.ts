import { and, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import { AppError, jobs, type Db } from "@kokoro-edge/runtime";
import type { CueReport } from "../subtitles/timeline";
import type { StoredRenderRequest } from "./request";

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const TERMINAL: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];
export interface JobProgress {
  id: string;
  status: string;
  cuesDone: number;
  cuesTotal: number;
}

/** Jobs in Postgres (or PGlite): creation with idempotency, leases, progress, outcome. */
export class JobStore {
  constructor(private readonly db: Db) {}

  /** Create a job, or return the one this idempotency key already made (created: false). */
  async create(input: {
    scope: string;
    apiKeyId?: string;
    idempotencyKey?: string;
    kind: "subtitles" | "speech";
    request: StoredRenderRequest;
    cuesTotal: number;
    /** Runs when a new job would be made (not for a replayed Idempotency-Key); throws to refuse it. */
    admit?: () => Promise<void>;
  }): Promise<{ job: JobRow; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await this.byKey(input.scope, input.idempotencyKey);
      if (existing)
        return { job: sameRequestOrThrow(existing, input.request, input.idempotencyKey), created: false };
    }
    await input.admit?.();
    const rows = await this.db
      .insert(jobs)
      .values({
        id: `job_${crypto.randomUUID().replaceAll("-", "")}`,
        scope: input.scope,
        apiKeyId: input.apiKeyId ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        kind: input.kind,
        status: "queued",
        request: input.request,
        cuesTotal: input.cuesTotal,
      })
      .onConflictDoNothing()
      .returning();
    if (rows[0]) return { job: rows[0], created: true };
    // Lost a race with the same key: the other insert won.
    return {
      job: sameRequestOrThrow(
        (await this.byKey(input.scope, input.idempotencyKey!))!,
        input.request,
        input.idempotencyKey!,
      ),
      created: false,
    };
  }

  /** Jobs not finished yet (queued or running) made in this scope: they count against its stream cap. */
  async unfinished(scope: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(and(eq(jobs.scope, scope), inArray(jobs.status, ["queued", "running"])));
    return Number(row?.n ?? 0);
  }

  /**
   * Audio bytes a scope's jobs hold on disk: finished files still kept, plus
   * the render tracks of unfinished jobs as far as they got (JOB_MAX_BYTES_PER_KEY).
   */
  async bytesHeld(scope: string): Promise<number> {
    const [row] = await this.db
      .select({
        bytes: sql<string>`coalesce(sum(case when ${jobs.audioFile} is not null then coalesce(${jobs.audioBytes}, 0) when ${jobs.status} in ('queued', 'running') then ${jobs.resumeSample}::bigint * 2 else 0 end), 0)`,
      })
      .from(jobs)
      .where(eq(jobs.scope, scope));
    return Number(row?.bytes ?? 0);
  }

  async get(id: string): Promise<JobRow | undefined> {
    return (await this.db.select().from(jobs).where(eq(jobs.id, id)).limit(1))[0];
  }

  /** Only the progress columns (event streams read this, never the whole row with its report). */
  async progress(id: string): Promise<JobProgress | undefined> {
    return (
      await this.db
        .select({ id: jobs.id, status: jobs.status, cuesDone: jobs.cuesDone, cuesTotal: jobs.cuesTotal })
        .from(jobs)
        .where(eq(jobs.id, id))
        .limit(1)
    )[0];
  }

  private async byKey(scope: string, key: string): Promise<JobRow | undefined> {
    return (
      await this.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.scope, scope), eq(jobs.idempotencyKey, key)))
        .limit(1)
    )[0];
  }

  /** Take the oldest runnable job: queued, or running under a lease that expired (its gateway died). */
  async claim(owner: string, leaseMs: number): Promise<JobRow | undefined> {
    const now = new Date();
    const next = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(or(eq(jobs.status, "queued"), and(eq(jobs.status, "running"), lt(jobs.leaseExpiresAt, now))))
      .orderBy(jobs.createdAt)
      .limit(1)
      .for("update", { skipLocked: true });
    const rows = await this.db
      .update(jobs)
      .set({
        status: "running",
        leaseOwner: owner,
        leaseExpiresAt: new Date(Date.now() + leaseMs),
        attempts: sql`${jobs.attempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(jobs.id, next))
      .returning();
    return rows[0];
  }

  /** Extend the lease; false when the job was cancelled or another gateway took it. */
  async heartbeat(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db
      .update(jobs)
      .set({ leaseExpiresAt: new Date(Date.now() + leaseMs), updatedAt: new Date() })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    return rows.length > 0;
  }

  async saveProgress(
    id: string,
    owner: string,
    p: { cuesDone: number; resumeIndex: number; resumeSample: number; report: CueReport[] },
  ) {
    await this.db
      .update(jobs)
      .set({
        cuesDone: p.cuesDone,
        resumeIndex: p.resumeIndex,
        resumeSample: p.resumeSample,
        report: p.report,
        updatedAt: new Date(),
      })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running")));
  }

  /** Mark the job done; false when this owner no longer holds its lease (another gateway took it). */
  async finish(
    id: string,
    owner: string,
    r: { audioFile: string; audioBytes: number; audioMs: number; report: CueReport[]; retentionMs: number },
  ): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .update(jobs)
      .set({
        status: "succeeded",
        audioFile: r.audioFile,
        audioBytes: r.audioBytes,
        audioMs: r.audioMs,
        report: r.report,
        cuesDone: sql`${jobs.cuesTotal}`,
        finishedAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + r.retentionMs),
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    return rows.length > 0;
  }

  /** Give the job back: another attempt starts after `delayMs` (from its saved resume point). */
  async release(id: string, owner: string, delayMs: number) {
    await this.db
      .update(jobs)
      .set({ leaseExpiresAt: new Date(Date.now() + delayMs), leaseOwner: null, updatedAt: new Date() })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running")));
  }

  /** Mark the job failed; false when this owner no longer holds its lease. */
  async fail(
    id: string,
    owner: string,
    error: { code: string; message: string; status: number },
  ): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .update(jobs)
      .set({
        status: "failed",
        error,
        finishedAt: now,
        updatedAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      .where(and(eq(jobs.id, id), eq(jobs.leaseOwner, owner)))
      .returning({ id: jobs.id });
    return rows.length > 0;
  }

  /** Cancel unless already finished; returns the job as it now stands. */
  async cancel(id: string): Promise<JobRow | undefined> {
    const now = new Date();
    await this.db
      .update(jobs)
      .set({ status: "cancelled", finishedAt: now, updatedAt: now, leaseExpiresAt: null })
      .where(and(eq(jobs.id, id), inArray(jobs.status, ["queued", "running"])));
    return this.get(id);
  }

  /** Finished audio past its retention: forget the file (the caller deletes it). */
  async expire(now = new Date()): Promise<{ id: string; audioFile: string }[]> {
    const due = await this.db
      .select({ id: jobs.id, audioFile: jobs.audioFile })
      .from(jobs)
      .where(and(isNotNull(jobs.audioFile), lt(jobs.expiresAt, now)));
    if (due.length === 0) return [];
    await this.db
      .update(jobs)
      .set({ audioFile: null, updatedAt: now })
      .where(
        inArray(
          jobs.id,
          due.map((d) => d.id),
        ),
      );
    return due.filter((r): r is { id: string; audioFile: string } => !!r.audioFile);
  }
}

/** A JSON value with its object keys sorted (jsonb does not keep the order it was given). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
}

/**
 * An Idempotency-Key replays the job it made only for the same request; a
 * different body under the same key is a client bug, answered 409 as other
 * APIs with idempotency keys do (never silently the old job).
 */
function sameRequestOrThrow(existing: JobRow, request: StoredRenderRequest, key: string): JobRow {
  if (JSON.stringify(canonical(existing.request)) === JSON.stringify(canonical(request))) return existing;
  throw new AppError(
    409,
    "idempotency_key_reused",
    `Idempotency-Key '${key}' was already used for a different request (job ${existing.id}); send the same request to get that job, or use a new key`,
    "Idempotency-Key",
  );
}
