import { Hono } from "hono";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { toWireError } from "@kokoro-edge/runtime";
import { checkFormat, createEncoder } from "../encoders";
import { concatBytes, type StreamEncoder } from "../encoders/types";
import type { GatewayDeps } from "../deps";
import { renderLimits } from "../config";
import { cueStreamSynthesizer, cueSynthesizer } from "../pipeline/render-cue";
import type { Cue } from "../subtitles/types";
import { trackTooLongError } from "../subtitles/limits";
import type { GatewayEnv } from "../env";
import { parseDocument } from "../jobs/document";
import { readRenderRequest } from "./render-request";
import { makeVoiceResolver } from "../subtitles/voices";
import { jobView } from "../jobs/view";
import { retimeSubtitles } from "../subtitles/retime";
import { streamTimeline } from "../subtitles/stream";
import { TrackTooLong } from "../subtitles/timeline";
import type { CueReport, TimelineReport } from "../subtitles/timeline";
import { createJob } from "../jobs/create";
import { encodedAudioBody, prepend, bodyEncoder, type BodyEncoder } from "./encoded-body";
import { SSE_HEADERS, sseBody } from "./sse";

/**
 * POST /v1/audio/subtitles: one audio track in which every cue's speech starts
 * at its cue time (exact sample offsets), streamed as it is rendered. Large
 * documents (or `async: true`) become a job (202 with the job).
 */
export function subtitlesRoutes(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  app.post("/v1/audio/subtitles", async (c) => {
    const t0 = performance.now();
    const req = await readRenderRequest(c);
    checkFormat(req.response_format); // a 400 before anything else
    const limits = renderLimits(deps.config);
    const doc = parseDocument(req, limits);
    if (req.async || doc.cues.length > deps.config.SUBTITLES_SYNC_MAX_CUES) {
      const { stream_format: _s, async: _a, ...stored } = req;
      const { job, created } = await createJob(deps, stored, {
        caller: c.get("caller"),
        idempotencyKey: c.req.header("idempotency-key"),
        ownSlots: 1, // this request holds one slot itself
        parsed: doc,
      });
      c.header("location", `/v1/jobs/${job.id}`);
      return c.json(jobView(job), created ? 202 : 200);
    }
    const requestId = c.get("requestId");
    const abort = new AbortController();
    c.req.raw.signal?.addEventListener("abort", () => abort.abort(new Error("client disconnected")));
    const cueReports: CueReport[] = [];
    const render = { bus: deps.bus, log: deps.log.child({ request_id: requestId }), synth: deps.synth };
    const cueNames = {
      voiceFor: makeVoiceResolver(req.voice, req.speakers),
      requestId: (cue: Cue) => `${requestId}/cue-${cue.index}`,
    };
    const pcm = streamTimeline({
      cues: doc.cues,
      timed: doc.timed,
      speed: req.speed,
      maxSpeed: req.max_speed ?? deps.config.SUBTITLES_MAX_SPEED,
      concurrency: 2,
      signal: abort.signal,
      maxTotalSamples: limits.maxTrackSeconds * SAMPLE_RATE,
      synthesize: cueSynthesizer(render, cueNames),
      // Plain text has no slots to fit: each cue is sent as it is spoken, like speech.
      synthesizeStream: cueStreamSynthesizer(render, cueNames),
      onProgress: (p) => void cueReports.push(p.cue),
    });
    // The first cue decides success: a bad voice is a 4xx before any byte is sent.
    let first: IteratorResult<Int16Array, TimelineReport>;
    try {
      first = await pcm.next();
    } catch (err) {
      throw err instanceof TrackTooLong ? trackTooLongError(limits) : err;
    }
    // the track's first bytes (silence before the first cue included) are ready: what a client waits for
    deps.metrics.observeTtfa((performance.now() - t0) / 1000, {
      route: "/v1/audio/subtitles",
      format: req.response_format,
      transport: req.stream_format === "sse" ? "sse" : "audio",
    });
    const headers: Record<string, string> = {
      "x-request-id": requestId,
      "x-kokoro-cues": String(doc.cues.length),
      "x-kokoro-subtitle-format": doc.format,
      "cache-control": "no-store",
    };
    const retime = (report: TimelineReport) =>
      req.retime
        ? retimeSubtitles(
            { cues: doc.cues, sourceFormat: doc.format, report: report.cues, sampleRate: SAMPLE_RATE },
            req.retime,
          )
        : undefined;
    if (req.stream_format === "sse") {
      const encoder = await createEncoder(req.response_format, { sampleRate: SAMPLE_RATE });
      const events = subtitleEvents(prepend(first, pcm), encoder, cueReports, retime);
      return new Response(sseBody(events, abort), { headers: { ...headers, ...SSE_HEADERS } });
    }
    const encoder = await bodyEncoder(deps, req.response_format);
    headers["content-type"] = encoder.contentType;
    return new Response(audioBody(first, pcm, encoder, abort, deps), { headers });
  });
  return app;
}

type Pcm = AsyncGenerator<Int16Array, TimelineReport, undefined>;

function audioBody(
  first: IteratorResult<Int16Array, TimelineReport>,
  pcm: Pcm,
  encoder: BodyEncoder,
  abort: AbortController,
  deps: GatewayDeps,
) {
  return encodedAudioBody(prepend(first, pcm), encoder, abort, {
    onError: (err) =>
      deps.log.error("subtitle render failed after it started", { error: toWireError(err).message }),
  });
}

/**
 * The subtitle SSE events: each cue's report as soon as it is rendered (`subtitles.cue`), the track's
 * audio as it is encoded (`subtitles.audio.delta`), then the summary with the re-timed subtitles.
 */
async function* subtitleEvents(
  pcm: AsyncGenerator<Int16Array, TimelineReport>,
  encoder: StreamEncoder,
  cueReports: CueReport[],
  retime: (r: TimelineReport) => string | undefined,
): AsyncGenerator<unknown> {
  let head = encoder.start();
  let sent = 0;
  const delta = (b: Uint8Array) => ({
    type: "subtitles.audio.delta",
    audio: Buffer.from(b).toString("base64"),
  });
  const reports = function* () {
    while (sent < cueReports.length) yield { type: "subtitles.cue", cue: cueReports[sent++] };
  };
  try {
    while (true) {
      yield* reports();
      const r = await pcm.next();
      yield* reports();
      if (r.done) {
        const last = concatBytes([head, encoder.end()]);
        if (last.length) yield delta(last);
        const { cues: _c, ...summary } = r.value;
        yield { type: "subtitles.done", report: summary, retimed: retime(r.value) ?? null };
        return;
      }
      let bytes = encoder.push(r.value);
      if (head.length) {
        bytes = concatBytes([head, bytes]);
        head = new Uint8Array(0);
      }
      if (bytes.length) yield delta(bytes);
    }
  } finally {
    await pcm.return(undefined as never);
  }
}
