import type { CueReport } from "../subtitles/timeline";
import type { StoredRenderRequest } from "./request";
import type { JobRow } from "./store";

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A job as the API shows it. */
export function jobView(job: JobRow, opts: { cues?: boolean } = {}) {
  const req = job.request as StoredRenderRequest;
  const cues = (job.report as CueReport[]) ?? [];
  return {
    id: job.id,
    object: "job",
    kind: job.kind,
    status: job.status,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    finished_at: iso(job.finishedAt),
    expires_at: iso(job.expiresAt),
    attempts: job.attempts,
    progress: {
      cues_done: job.cuesDone,
      cues_total: job.cuesTotal,
      fraction: job.cuesTotal ? job.cuesDone / job.cuesTotal : 0,
    },
    options: {
      voice: req.voice,
      speakers: req.speakers,
      response_format: req.response_format,
      speed: req.speed,
      max_speed: req.max_speed ?? null,
      retime: req.retime ?? null,
    },
    error: job.error ?? null,
    audio:
      job.status === "succeeded"
        ? job.audioFile
          ? {
              url: `/v1/jobs/${job.id}/audio`,
              format: req.response_format,
              bytes: job.audioBytes,
              seconds: (job.audioMs ?? 0) / 1000,
            }
          : { url: null, expired: true }
        : null,
    report: {
      cues_reported: cues.length,
      sped_up: cues.filter((c) => c.speed > req.speed).length,
      overflowed: cues.filter((c) => c.overflow_samples > 0).length,
      overlapping: cues.filter((c) => c.overlaps_next).length,
      skipped: cues.filter((c) => c.skipped !== undefined).length,
      ...(opts.cues ? { cues } : {}),
    },
  };
}
