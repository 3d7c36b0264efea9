/**
 * Making a job: the request checked (format, document, Idempotency-Key), admitted against the
 * caller's stream cap and audio quota in the same transaction that stores it, and the runner woken.
 * Used by POST /v1/jobs and by /v1/audio/subtitles for documents too large to render inline.
 */
import { AppError } from "@kokoro-edge/runtime";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { checkFormat } from "../encoders";
import type { GatewayDeps } from "../deps";
import type { Caller } from "../auth/caller";
import { renderLimits } from "../config";
import type { ParsedDocument } from "../subtitles/types";
import { parseDocument } from "./document";
import type { StoredRenderRequest } from "./request";

/** Idempotency and visibility: a job belongs to the key that made it (or to everyone in open mode). */
export const jobScope = (caller: { key?: { id: string } } | undefined) =>
  caller?.key ? caller.key.id : "open";

/** Who asks for a job, and what their request already holds. */
export interface JobAsker {
  caller: Caller | undefined;
  idempotencyKey: string | undefined;
  /** Stream slots the request making the job holds itself (not counted against the cap). */
  ownSlots: number;
  /** The document, when the request parsed it already. */
  parsed?: ParsedDocument;
}

/** Create a job from a validated request (also used by /v1/audio/subtitles for large documents). */
export async function createJob(deps: GatewayDeps, req: StoredRenderRequest, by: JobAsker) {
  const jobs = requireJobs(deps);
  const { idempotencyKey, parsed } = by;
  const scope = jobScope(by.caller);
  const apiKeyId = by.caller?.key?.id;
  const streamCap = await streamCapOf(deps, by.caller, by.ownSlots);
  checkFormat(req.response_format); // an unsupported format is a 400 now, not a failed job later
  const doc = parsed ?? parseDocument(req, renderLimits(deps.config));
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
    throw new AppError(
      400,
      "invalid_idempotency_key",
      "Idempotency-Key must be 1 to 255 characters",
      "Idempotency-Key",
    );
  }
  // A job is work in progress like a stream: both count against the caller's cap, and its audio
  // against the key's bytes (checked only when a job would be made, so replaying an
  // Idempotency-Key is never refused).
  const admit = async () => {
    const busy = streamCap.live + (await jobs.store.unfinished(scope));
    if (streamCap.max > 0 && busy >= streamCap.max) {
      throw new AppError(
        429,
        "too_many_streams",
        `${streamCap.who} already has ${busy} stream(s) and unfinished job(s) (the limit is ${streamCap.max}); retry when one ends`,
      );
    }
    await checkJobQuota(deps, scope, doc);
  };
  const { job, created } = await jobs.store.create({
    scope,
    apiKeyId,
    idempotencyKey,
    kind: doc.format === "text" ? "speech" : "subtitles",
    request: req,
    cuesTotal: doc.cues.length,
    admit,
  });
  if (created) jobs.runner.kick();
  return { job, created };
}

/** The caller's stream cap as job creation sees it: live streams (less the request's own) and the limit. */
async function streamCapOf(deps: GatewayDeps, caller: Caller | undefined, ownSlots: number) {
  const id = caller?.id ?? "ip:unknown";
  return {
    live: Math.max(0, ((await deps.limits?.activeSlots(id)) ?? 0) - ownSlots),
    max: caller?.key?.maxStreams ?? deps.config.MAX_STREAMS_PER_KEY,
    who: caller?.key ? `API key '${caller.key.name}'` : "this client",
  };
}

/**
 * JOB_MAX_BYTES_PER_KEY: a key's jobs may hold this many audio bytes on disk
 * (kept files plus unfinished renders, and what a timed document will need at
 * least: its last cue's end as raw PCM). A 429 naming the limit otherwise.
 */
async function checkJobQuota(deps: GatewayDeps, scope: string, doc: ParsedDocument) {
  const quota = deps.config.JOB_MAX_BYTES_PER_KEY;
  if (!quota) return;
  const held = await requireJobs(deps).store.bytesHeld(scope);
  const needs = doc.timed
    ? Math.round(doc.cues.reduce((m, c) => Math.max(m, c.end_s), 0) * SAMPLE_RATE) * 2
    : 0;
  if (held + needs > quota) {
    throw new AppError(
      429,
      "job_quota_exceeded",
      `this key's jobs hold ${held} bytes of audio${needs ? ` and this one needs at least ${needs}` : ""}; the limit is ${quota} bytes (JOB_MAX_BYTES_PER_KEY). Delete finished jobs (DELETE /v1/jobs/{id}) or wait for them to expire.`,
    );
  }
}

/** The jobs of this gateway, or a 503 when it has no database. */
export function requireJobs(deps: GatewayDeps) {
  if (!deps.jobs)
    throw new AppError(503, "jobs_unavailable", "jobs need a database; this gateway runs without one");
  return deps.jobs;
}
