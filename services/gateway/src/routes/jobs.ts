import { Hono } from "hono";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { AppError } from "@kokoro-edge/runtime";
import { CONTENT_TYPES } from "../encoders";
import type { GatewayDeps } from "../deps";
import type { GatewayEnv } from "../env";
import { createJob, jobScope, requireJobs } from "../jobs/create";
import { JobCreateRequest, type StoredRenderRequest } from "../jobs/request";
import { type JobRow } from "../jobs/store";
import { jobView } from "../jobs/view";
import { jobEventStream } from "./job-event-stream";
import { SSE_HEADERS } from "./sse";
import { parseSubtitles } from "../subtitles/parse";
import { retimeSubtitles } from "../subtitles/retime";
import type { CueReport } from "../subtitles/timeline";
import { readJson, validate } from "./read-json";
import { fileResponse } from "./range";
import { ensureM4a } from "../jobs/m4a";

const JOB_ID = /^job_[0-9a-f]{32}$/;

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
    const { job, created } = await createJob(deps, body, {
      caller: c.get("caller"),
      idempotencyKey: c.req.header("idempotency-key"),
      ownSlots: 0,
    });
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
    const doc = parseSubtitles(req.document, { filename: req.filename, format: req.format });
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
    return new Response(body, { headers: SSE_HEADERS });
  });

  return app;
}
