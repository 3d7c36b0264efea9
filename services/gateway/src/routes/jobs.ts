import { Hono } from "hono";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { AppError } from "@kokoro-edge/runtime";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { CONTENT_TYPES, createEncoder } from "../encoders";
import type { GatewayDeps } from "../deps";
import type { Caller } from "../auth/middleware";
import { renderLimits } from "../config";
import type { GatewayEnv } from "../app";
import { parseDocument } from "../jobs/document";
import { JobCreateRequest, type StoredRenderRequest } from "../jobs/request";
import { type JobRow } from "../jobs/store";
import { jobView } from "../jobs/view";
import { jobEventStream } from "../jobs/event-stream";
import { parseSubtitles } from "../subtitles/parse";
import type { ParsedDocument } from "../subtitles/types";
import { retimeSubtitles } from "../subtitles/retime";
import type { CueReport } from "../subtitles/timeline";
import { readJson, validate } from "./read-json";
import { fileResponse } from "./range";
import { ensureM4a } from "../jobs/m4a";

const JOB_ID = /^job_[0-9a-f]{32}$/;

/** Idempotency and visibility: a job belongs to the key that made it (or to everyone in open mode). */
export const jobScope = (caller: { key?: { id: string } } | undefined) =>
  caller?.key ? caller.key.id : "open";

/** Create a job from a validated request (also used by /v1/audio/subtitles for large documents). */
export async function createJob(
  deps: GatewayDeps,
  scope: string,
  apiKeyId: string | undefined,
  idempotencyKey: string | undefined,
  req: StoredRenderRequest,
  /** The document, when the caller parsed it already. */
  parsed?: ParsedDocument,
  /** The caller's stream cap: live streams (not counting the request making this job) and the limit. */
  streamCap?: { live: number; max: number; who: string },
) {
  const jobs = requireJobs(deps);
  createEncoder(req.response_format, { sampleRate: 24_000 }); // an unsupported format is a 400 now, not a failed job later
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
    if (streamCap) {
      const busy = streamCap.live + (await jobs.store.unfinished(scope));
      if (streamCap.max > 0 && busy >= streamCap.max) {
        throw new AppError(
          429,
          "too_many_streams",
          `${streamCap.who} already has ${busy} stream(s) and unfinished job(s) (the limit is ${streamCap.max}); retry when one ends`,
        );
      }
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
export async function streamCapOf(deps: GatewayDeps, caller: Caller | undefined, ownSlots: number) {
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

function requireJobs(deps: GatewayDeps) {
  if (!deps.jobs)
    throw new AppError(503, "jobs_unavailable", "jobs need a database; this gateway runs without one");
  return deps.jobs;
}

export function jobsRoutes(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();

  const load = async (c: {
    req: { param: (k: string) => string };
    get: (k: "caller") => GatewayEnv["Variables"]["caller"];
  }): Promise<JobRow> => {
    const id = c.req.param("id");
    // ids are ours (job_ + 32 hex): anything else is not a job, and never reaches the database
    const job = JOB_ID.test(id) ? await requireJobs(deps).store.get(id) : undefined;
    if (!job || job.scope !== jobScope(c.get("caller")))
      throw new AppError(404, "job_not_found", `no job ${JSON.stringify(c.req.param("id").slice(0, 80))}`);
    return job;
  };

  app.post("/v1/jobs", async (c) => {
    const body = validate(JobCreateRequest, await readJson(c)) as StoredRenderRequest;
    const caller = c.get("caller");
    const { job, created } = await createJob(
      deps,
      jobScope(caller),
      caller?.key?.id,
      c.req.header("idempotency-key"),
      body,
      undefined,
      await streamCapOf(deps, caller, 0),
    );
    c.header("location", `/v1/jobs/${job.id}`);
    return c.json(jobView(job), created ? 201 : 200);
  });

  app.get("/v1/jobs/:id", async (c) =>
    c.json(jobView(await load(c), { cues: c.req.query("cues") !== "false" })),
  );

  app.delete("/v1/jobs/:id", async (c) => {
    const job = await load(c);
    const jobs = requireJobs(deps);
    const now = (await jobs.store.cancel(job.id)) ?? job;
    jobs.events.publish({
      id: now.id,
      status: now.status as "cancelled",
      cues_done: now.cuesDone,
      cues_total: now.cuesTotal,
    });
    return c.json(jobView(now));
  });

  app.get("/v1/jobs/:id/audio", async (c) => {
    const job = await load(c);
    if (job.status !== "succeeded")
      throw new AppError(
        409,
        "job_not_finished",
        `job ${job.id} is ${job.status}; its audio is there once it has succeeded`,
      );
    const path = job.audioFile ? join(requireJobs(deps).dir, job.audioFile) : undefined;
    if (!path || !existsSync(path))
      throw new AppError(410, "audio_expired", `the audio of job ${job.id} is no longer kept (retention)`);
    const format = (job.request as StoredRenderRequest).response_format;
    const want = c.req.query("format");
    if (want !== undefined && want !== format) {
      if (want !== "m4a")
        throw new AppError(
          400,
          "invalid_request",
          `format may be m4a (made by the system ffmpeg) or the job's own ${format}`,
          "format",
        );
      const m4a = await ensureM4a(deps.config.FFMPEG_PATH, path);
      return fileResponse(
        m4a,
        "audio/mp4",
        c.req.header("range"),
        { "content-disposition": `attachment; filename="${job.id}.m4a"`, etag: `"${job.id}-m4a"` },
        c.req.header("if-range"),
      );
    }
    return fileResponse(
      path,
      CONTENT_TYPES[format as keyof typeof CONTENT_TYPES] ?? "application/octet-stream",
      c.req.header("range"),
      {
        "content-disposition": `attachment; filename="${job.id}.${format}"`,
        etag: `"${job.id}"`,
      },
      c.req.header("if-range"),
    );
  });

  app.get("/v1/jobs/:id/subtitles", async (c) => {
    const job = await load(c);
    const format = c.req.query("format") ?? "srt";
    if (format !== "srt" && format !== "vtt")
      throw new AppError(400, "invalid_request", "format must be srt or vtt", "format");
    if (job.status !== "succeeded")
      throw new AppError(409, "job_not_finished", `job ${job.id} is ${job.status}`);
    const req = job.request as StoredRenderRequest;
    const doc = parseSubtitles(req.document, { filename: req.filename, format: req.format as never });
    const text = retimeSubtitles(
      { cues: doc.cues, sourceFormat: doc.format, report: job.report as CueReport[], sampleRate: 24_000 },
      format,
    );
    return c.text(text, 200, {
      "content-type": format === "srt" ? "application/x-subrip; charset=utf-8" : "text/vtt; charset=utf-8",
    });
  });

  /** Progress as server-sent events until the job ends (pushed over the bus, see jobs/events.ts). */
  app.get("/v1/jobs/:id/events", async (c) => {
    const first = await load(c);
    const jobs = requireJobs(deps);
    const caller = c.get("caller");
    const max = deps.config.MAX_EVENT_STREAMS_PER_KEY;
    const release = jobs.eventSlots.acquire(caller?.id ?? "ip:unknown", max);
    if (!release) {
      const who = caller?.key ? `API key '${caller.key.name}'` : "this client";
      throw new AppError(
        429,
        "too_many_event_streams",
        `${who} already has ${max} job event stream(s) open (the limit); close one, or poll GET /v1/jobs/{id}`,
      );
    }
    const body = jobEventStream({
      job: first,
      events: jobs.events,
      load: (id) => jobs.store.get(id),
      log: deps.log,
      onEnd: release,
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  });

  return app;
}
