import { Hono } from "hono";
import { SAMPLE_RATE, SAMPLES_PER_FRAME } from "@kokoro-edge/proto";
import { AppError, toWireError } from "@kokoro-edge/runtime";
import { checkFormat, createEncoder } from "../encoders";
import { concatBytes, type StreamEncoder } from "../encoders/types";
import type { GatewayDeps } from "../deps";
import type { GatewayEnv } from "../env";
import { tokenCount } from "../pipeline/plan";
import { speak } from "../pipeline/speak";
import type { SynthEvent } from "../pipeline/synth-client";
import { SpeechRequest, resolveVoiceName } from "../speech/request";
import { checkInput, readJson, validate } from "./read-json";
import { bodyEncoder, encodedAudioBody } from "./encoded-body";
import type { BodyOutcome } from "./pulled-body";
import { SSE_HEADERS, sseBody } from "./sse";

/**
 * POST /v1/audio/speech (OpenAI's shape). Text goes through the speech pipeline (speak.ts); audio is
 * encoded once for the whole response and sent as it is made, either as the audio file's bytes or as
 * OpenAI's SSE events (`stream_format: "sse"`, with our word timestamps). The response is pulled by
 * the client: a slow reader grants no credit, so the worker waits; a client that leaves cancels the
 * stream.
 */
export function speechRoutes(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  app.post("/v1/audio/speech", async (c) => {
    const t0 = performance.now();
    const req = validate(SpeechRequest, await readJson(c));
    checkInput(req.input, deps.config.MAX_INPUT_CHARS, "speak");
    const voice = resolveVoiceName(req.voice);
    checkFormat(req.response_format); // a 400 before anything else
    const requestId = c.get("requestId");
    const log = deps.log.child({ request_id: requestId });

    const abort = new AbortController();
    c.req.raw.signal?.addEventListener("abort", () => abort.abort(new Error("client disconnected")));
    const { chunks, events } = await speak(
      { bus: deps.bus, log, synth: deps.synth },
      {
        text: req.input,
        voice,
        language: req.language,
        pronunciations: req.pronunciations,
        requestId,
        speed: req.speed,
        signal: abort.signal,
        // Only the SSE form carries word timestamps; the audio body would drop them.
        wordTimings: req.stream_format === "sse",
      },
    );
    if (!events)
      throw new AppError(
        400,
        "nothing_to_say",
        "input has no words to speak (only punctuation, symbols or pauses)",
        "input",
      );
    const first = await events.next(); // the worker accepted (or a 4xx/5xx is thrown before any byte is sent)
    if (first.done || first.value.type !== "start")
      throw new AppError(502, "bad_synth_stream", "the synth stream did not start properly");
    const start = first.value.info;

    const stream = deps.metrics.trackStream();
    let samples = 0;
    let ttfa: number | undefined;
    const onFirstAudio = () => {
      if (ttfa !== undefined) return;
      ttfa = performance.now() - t0;
      deps.metrics.observeTtfa(ttfa / 1000, {
        route: "/v1/audio/speech",
        format: req.response_format,
        transport: req.stream_format === "sse" ? "sse" : "audio",
      });
    };
    const onDone = (status: BodyOutcome, error?: unknown) => {
      const audioSeconds = samples / SAMPLE_RATE;
      stream.done(audioSeconds);
      if (status === "error")
        log.error("stream failed after it started", { error: toWireError(error).message });
      deps.onSpeechDone?.({
        requestId,
        voice: start.voice,
        format: req.response_format,
        inputChars: req.input.length,
        status,
        audioSeconds,
        ttfaMs: ttfa,
        error,
      });
    };
    const headers: Record<string, string> = {
      "x-request-id": requestId,
      "x-kokoro-engine": start.engine,
      "x-kokoro-model": start.model,
      "x-kokoro-model-version": start.model_version,
      "x-kokoro-voice": start.voice,
      "cache-control": "no-store",
      ...cacheHeader(start.cached_chunks, chunks.length),
    };
    if (req.stream_format === "sse") {
      const encoder = await createEncoder(req.response_format, { sampleRate: SAMPLE_RATE });
      const sse = speechEvents(events, encoder, tokenCount(chunks), (n) => (samples += n), onFirstAudio);
      return new Response(sseBody(sse, abort, { onDone }), { headers: { ...headers, ...SSE_HEADERS } });
    }
    const pcm = audioOf(events, (n) => (samples += n));
    const encoder = await bodyEncoder(deps, req.response_format);
    const body = encodedAudioBody(pcm, encoder, abort, { onBytes: onFirstAudio, onDone });
    return new Response(body, { headers: { ...headers, "content-type": encoder.contentType } });
  });
  return app;
}

/** The synth stream's audio, counted as it goes. */
async function* audioOf(
  events: AsyncGenerator<SynthEvent>,
  count: (samples: number) => void,
): AsyncGenerator<Int16Array> {
  try {
    for await (const ev of events) {
      if (ev.type === "audio") {
        count(ev.pcm.length);
        yield ev.pcm;
      } else if (ev.type === "end") return;
    }
  } finally {
    await events.return(undefined);
  }
}

/** OpenAI's speech SSE events (audio deltas, then done with usage), plus our word timestamps. */
async function* speechEvents(
  events: AsyncGenerator<SynthEvent>,
  encoder: StreamEncoder,
  inputTokens: number,
  count: (samples: number) => void,
  onFirstAudio: () => void,
): AsyncGenerator<unknown> {
  let samples = 0;
  let pending = encoder.start();
  const delta = (bytes: Uint8Array) => ({
    type: "speech.audio.delta",
    audio: Buffer.from(bytes).toString("base64"),
  });
  try {
    for await (const ev of events) {
      if (ev.type === "words") yield { type: "speech.audio.timestamps", words: ev.words.words };
      else if (ev.type === "audio") {
        samples += ev.pcm.length;
        count(ev.pcm.length);
        const bytes = concatBytes([pending, encoder.push(ev.pcm)]);
        pending = new Uint8Array(0);
        if (bytes.length) {
          onFirstAudio();
          yield delta(bytes);
        }
      } else if (ev.type === "end") {
        const tail = concatBytes([pending, encoder.end()]);
        if (tail.length) yield delta(tail);
        const outputTokens = Math.ceil(samples / SAMPLES_PER_FRAME);
        yield {
          type: "speech.audio.done",
          usage: {
            input_tokens: inputTokens,
            output_tokens: outputTokens,
            total_tokens: inputTokens + outputTokens,
          },
        };
        return;
      }
    }
  } finally {
    await events.return(undefined);
  }
}

/**
 * x-kokoro-cache: `hit` when the synth worker had every chunk in its chunk
 * cache, `partial` for some, `miss` for none; absent when it has no cache.
 */
export function cacheHeader(cached: number | undefined, chunks: number): Record<string, string> {
  if (cached === undefined) return {};
  return { "x-kokoro-cache": cached === 0 ? "miss" : cached >= chunks ? "hit" : "partial" };
}
