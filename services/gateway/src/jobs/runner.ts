import { existsSync, mkdirSync, rmSync } from "node:fs";
import { m4aPathFor } from "./m4a";
import { join } from "node:path";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { AppError, toWireError, type Logger } from "@kokoro-edge/runtime";
import type { RenderTextDeps } from "../pipeline/render-text";
import { cueSynthesizer } from "../pipeline/render-cue";
import { trackTooLongError } from "../subtitles/limits";
import { parseSubtitles } from "../subtitles/parse";
import { renderTimeline, TrackTooLong, type CueReport } from "../subtitles/timeline";
import { PcmFileSink } from "./file-sink";
import { encodeOffThread } from "./encode-off-thread";
import type { StoredRenderRequest } from "./request";
import type { JobRow, JobStore } from "./store";
import { makeVoiceResolver } from "../subtitles/voices";
import type { JobEvents } from "./events";

export interface JobRunnerOptions {
  store: JobStore;
  render: RenderTextDeps;
  /** Where audio lives: `<id>.render.s16le` while rendering, `<id>.<format>` when done. */
  dir: string;
  owner: string;
  leaseMs: number;
  pollMs: number;
  retentionMs: number;
  concurrency: number;
  /** Parallel cue syntheses inside one job. */
  cueConcurrency: number;
  defaultMaxSpeed: number;
  /** MAX_TRACK_SECONDS: a render that would run longer fails with a 413 (untimed text; timed cues are checked on admission). */
  maxTrackSeconds?: number;
  maxAttempts: number;
  log: Logger;
  /** Where progress is pushed to event streams (on every gateway). */
  events?: JobEvents;
}

export const audioFileName = (id: string, format: string) => `${id}.${format}`;
/** Names one attempt's temporary files: two gateways never write the same temporary file. */
const attemptTag = (owner: string, attempt: number) => `${owner.replace(/[^A-Za-z0-9_-]/g, "_")}-${attempt}`;

/**
 * Renders queued jobs cue by cue on the synth replicas, saving a resume point
 * after each cue. A job whose gateway died is taken over when its lease runs
 * out and continues from the saved point, so the finished audio is the same
 * as an uninterrupted run's (inference is deterministic, offsets are exact).
 */
export class JobRunner {
  private active = new Map<string, AbortController>();
  private timer?: ReturnType<typeof setInterval>;
  private sweeper?: ReturnType<typeof setInterval>;
  private polling = false;
  private stopped = false;

  constructor(private readonly o: JobRunnerOptions) {
    mkdirSync(o.dir, { recursive: true });
  }

  start() {
    this.timer = setInterval(() => void this.poll(), this.o.pollMs);
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    void this.poll();
    void this.sweep();
  }

  /** Wake the poller now (a job was just created). */
  kick() {
    void this.poll();
  }

  /** Stop taking jobs; renders in progress stop and give their jobs back (they resume elsewhere or later). */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.sweeper);
    for (const [, ac] of this.active) ac.abort(new Error("gateway shutting down"));
    for (let i = 0; i < 50 && this.active.size; i++) await new Promise((r) => setTimeout(r, 100));
  }

  get running() {
    return this.active.size;
  }

  private async poll() {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      while (!this.stopped && this.active.size < this.o.concurrency) {
        const job = await this.o.store.claim(this.o.owner, this.o.leaseMs);
        if (!job) break;
        const ac = new AbortController();
        this.active.set(job.id, ac);
        this.o.events?.publish({
          id: job.id,
          status: "running",
          cues_done: job.cuesDone,
          cues_total: job.cuesTotal,
        });
        this.run(job, ac)
          .catch((err) =>
            this.o.log.error("job run failed", { job_id: job.id, error: (err as Error).message }),
          )
          .finally(() => {
            this.active.delete(job.id);
            void this.poll();
          });
      }
    } catch (err) {
      this.o.log.error("job poll failed", { error: (err as Error).message });
    } finally {
      this.polling = false;
    }
  }

  private async run(job: JobRow, ac: AbortController) {
    const { store, owner, leaseMs, log: baseLog } = this.o;
    const log = baseLog.child({ job_id: job.id });
    const req = job.request as StoredRenderRequest;
    const pcmPath = join(this.o.dir, `${job.id}.render.s16le`); // never the name of a finished file
    const heartbeat = setInterval(
      async () => {
        const ok = await store.heartbeat(job.id, owner, leaseMs).catch(() => true);
        if (!ok) ac.abort(new AppError(409, "job_not_owned", "job was cancelled or taken over"));
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    let sink: PcmFileSink | undefined;
    try {
      const doc = parseSubtitles(req.document, { filename: req.filename, format: req.format });
      const resumeAt =
        job.resumeIndex > 0 && existsSync(pcmPath)
          ? { index: job.resumeIndex, startSample: job.resumeSample }
          : undefined;
      if (resumeAt)
        log.info("resuming job", {
          cue: resumeAt.index,
          sample: resumeAt.startSample,
          attempt: job.attempts,
        });
      else log.info("starting job", { cues: doc.cues.length, attempt: job.attempts });
      sink = new PcmFileSink(pcmPath, resumeAt?.startSample ?? 0);
      const prior = resumeAt ? (job.report as CueReport[]).filter((r) => r.index < resumeAt.index) : [];
      const reports: CueReport[] = [...prior];
      let lastSave = 0;
      const report = await renderTimeline({
        cues: doc.cues,
        timed: doc.timed,
        sink,
        speed: req.speed,
        maxSpeed: req.max_speed ?? this.o.defaultMaxSpeed,
        concurrency: this.o.cueConcurrency,
        resume: resumeAt,
        signal: ac.signal,
        maxTotalSamples:
          this.o.maxTrackSeconds !== undefined ? this.o.maxTrackSeconds * SAMPLE_RATE : undefined,
        synthesize: cueSynthesizer(this.o.render, {
          voiceFor: makeVoiceResolver(req.voice, req.speakers),
          requestId: (cue, speed) => `${job.id}/cue-${cue.index}@${speed}`,
        }),
        onProgress: async (p) => {
          reports.push(p.cue);
          const now = Date.now();
          if (now - lastSave < 250 && p.done < p.total) return;
          lastSave = now;
          await store.saveProgress(job.id, owner, {
            cuesDone: p.done,
            resumeIndex: p.resume.index,
            resumeSample: p.resume.startSample,
            report: reports.filter((r) => r.index < p.resume.index),
          });
          this.o.events?.publish({ id: job.id, status: "running", cues_done: p.done, cues_total: p.total });
        },
      });
      const total = report.total_samples;
      sink.close();
      sink = undefined;
      const file = audioFileName(job.id, req.response_format);
      // Off the event loop (the lease keeps being renewed meanwhile), into a file of this attempt's own.
      const bytes = await encodeOffThread(
        {
          pcmPath,
          outPath: join(this.o.dir, file),
          tmpPath: join(this.o.dir, `${file}.${attemptTag(owner, job.attempts)}.tmp`),
          format: req.response_format,
          sampleRate: SAMPLE_RATE,
          totalSamples: total,
        },
        ac.signal,
      );
      const all = [...prior, ...report.cues];
      const owned = await store.finish(job.id, owner, {
        audioFile: file,
        audioBytes: bytes,
        audioMs: Math.round((total / SAMPLE_RATE) * 1000),
        report: all,
        retentionMs: this.o.retentionMs,
      });
      if (!owned) {
        // Another gateway holds the job now and renders from the same track file: leave it alone.
        // (The audio just written is the same bytes it will write: rendering is deterministic.)
        log.warn("job taken over while it was being encoded; the new holder finishes it");
        return;
      }
      rmSync(pcmPath, { force: true });
      this.o.events?.publish({
        id: job.id,
        status: "succeeded",
        cues_done: job.cuesTotal,
        cues_total: job.cuesTotal,
      });
      log.info("job done", { cues: all.length, audio_s: total / SAMPLE_RATE, bytes });
    } catch (err) {
      sink?.close();
      const cause = ac.signal.aborted ? (ac.signal.reason ?? err) : err;
      const wire = toWireError(
        cause instanceof TrackTooLong
          ? trackTooLongError({ maxTrackSeconds: this.o.maxTrackSeconds ?? cause.maxSamples / SAMPLE_RATE })
          : cause,
      );
      if (wire.code === "job_not_owned") {
        const now = await store.get(job.id);
        if (now?.status === "cancelled") rmSync(pcmPath, { force: true });
        log.info("job stopped", { status: now?.status });
      } else if (this.stopped) {
        await store.release(job.id, owner, 0).catch(() => {});
      } else if (wire.status < 500 || job.attempts >= this.o.maxAttempts) {
        log.warn("job failed", { error: wire.message, attempts: job.attempts });
        // only the lease holder removes the track: a gateway that lost the job leaves it to the new holder
        if (
          await store.fail(job.id, owner, { code: wire.code, message: wire.message, status: wire.status })
        ) {
          this.o.events?.publish({
            id: job.id,
            status: "failed",
            cues_done: job.cuesDone,
            cues_total: job.cuesTotal,
          });
          rmSync(pcmPath, { force: true });
        }
      } else {
        const delay = Math.min(30_000, 1000 * 2 ** job.attempts);
        log.warn("job attempt failed; retrying from its resume point", {
          error: wire.message,
          attempt: job.attempts,
          retry_in_ms: delay,
        });
        await store.release(job.id, owner, delay);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async sweep() {
    try {
      for (const { audioFile } of await this.o.store.expire()) {
        rmSync(join(this.o.dir, audioFile), { force: true });
        rmSync(m4aPathFor(join(this.o.dir, audioFile)), { force: true });
      }
    } catch (err) {
      this.o.log.warn("retention sweep failed", { error: (err as Error).message });
    }
  }
}
