import type { Context } from "hono";
import { SAMPLE_RATE, SAMPLES_PER_FRAME } from "@kokoro-edge/proto";
import { AppError, toWireError } from "@kokoro-edge/runtime";
import { createEncoder } from "../encoders";
import { concatBytes, type StreamEncoder } from "../encoders/types";
import { errorBody } from "../errors";
import type { GatewayDeps } from "../deps";
import { phonemize } from "../pipeline/g2p-client";
import { synthChunks, tokenCount } from "../pipeline/plan";
import { synthesize, type SynthEvent } from "../pipeline/synth-client";
import { SpeechRequest, resolveVoiceName } from "../speech/request";
import { readJson, validate } from "./read-json";
import { bodyEncoder, encodedAudioBody, type BodyEncoder } from "./encoded-body";
import { synthStreamOptions } from "../pipeline/stream-options";

/**
 * POST /v1/audio/speech (OpenAI's shape). Text goes to g2p, its chunks to a
 * synth stream; audio is encoded once for the whole response and sent as it
 * is made. The response is pulled by the client: a slow reader grants no
 * credit, so the worker waits; a client that leaves cancels the stream.
 */
export function speechHandler(deps: GatewayDeps) {
  return async (c: Context) => {
    const t0 = performance.now();
    const req = validate(SpeechRequest, await readJson(c));
    if (!req.input.trim())
      throw new AppError(400, "empty_input", "input is empty: give the text to speak", "input");
    if (req.input.length > deps.config.MAX_INPUT_CHARS) {
      throw new AppError(
        400,
        "input_too_long",
        `input is ${req.input.length} characters; the limit is ${deps.config.MAX_INPUT_CHARS}`,
        "input",
      );
    }
    const voice = resolveVoiceName(req.voice);
    const encoder = createEncoder(req.response_format as Parameters<typeof createEncoder>[0], {
      sampleRate: SAMPLE_RATE,
    });
    const requestId = c.get("requestId") as string;
    const log = deps.log.child({ request_id: requestId });

    const g2p = await phonemize(deps.bus, {
      text: req.input,
      voice,
      language: req.language,
      pronunciations: req.pronunciations,
    });
    const chunks = synthChunks(g2p);
    if (chunks.length === 0)
      throw new AppError(
        400,
        "nothing_to_say",
        "input has no words to speak (only punctuation, symbols or pauses)",
        "input",
      );

    const abort = new AbortController();
    c.req.raw.signal?.addEventListener("abort", () => abort.abort(new Error("client disconnected")));
    const events = synthesize(
      deps.bus,
      { v: 1, request_id: requestId, voice, speed: req.speed, chunks },
      {
        ...synthStreamOptions(deps.config, deps.metrics.failoverEvents, deps.hedgeBudget),
        signal: abort.signal,
        log,
      },
    );
    const first = await events.next(); // the worker accepted (or a 4xx/5xx is thrown before any byte is sent)
    if (first.done || first.value.type !== "start")
      throw new AppError(502, "bad_synth_stream", "the synth stream did not start properly");
    const start = first.value.info;

    const stream = deps.metrics.trackStream();
    const finish = (status: "ok" | "error" | "cancelled", audioS: number, error?: unknown) => {
      stream.done(audioS);
      if (status === "error")
        log.error("stream failed after it started", { error: toWireError(error).message });
      deps.onSpeechDone?.({
        requestId,
        voice: start.voice,
        format: req.response_format,
        inputChars: req.input.length,
        status,
        audioSeconds: audioS,
        ttfaMs: ttfa,
        error,
      });
    };
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
    const headers: Record<string, string> = {
      "x-request-id": requestId,
      "x-kokoro-engine": start.engine,
      "x-kokoro-model": start.model,
      "x-kokoro-model-version": start.model_version,
      "x-kokoro-voice": start.voice,
      "cache-control": "no-store",
    };
    const body =
      req.stream_format === "sse"
        ? sseStream(events, encoder, tokenCount(chunks), onFirstAudio, finish, abort)
        : audioStream(events, bodyEncoder(deps, encoder), onFirstAudio, finish, abort);
    if (req.stream_format === "sse") {
      headers["content-type"] = "text/event-stream; charset=utf-8";
      headers["x-accel-buffering"] = "no";
    } else headers["content-type"] = encoder.contentType;
    return new Response(body, { status: 200, headers });
  };
}

type Finish = (status: "ok" | "error" | "cancelled", audioS: number, error?: unknown) => void;

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

function audioStream(
  events: AsyncGenerator<SynthEvent>,
  encoder: BodyEncoder,
  onFirstAudio: () => void,
  finish: Finish,
  abort: AbortController,
) {
  let samples = 0;
  return encodedAudioBody(
    audioOf(events, (n) => (samples += n)),
    encoder,
    abort,
    {
      onBytes: onFirstAudio,
      onDone: (outcome, err) => finish(outcome, samples / SAMPLE_RATE, err),
    },
  );
}

const enc = new TextEncoder();
const sse = (obj: unknown) => enc.encode(`data: ${JSON.stringify(obj)}\n\n`);

/** OpenAI's SSE events, plus our word timestamps. */
function sseStream(
  events: AsyncGenerator<SynthEvent>,
  encoder: StreamEncoder,
  inputTokens: number,
  onFirstAudio: () => void,
  finish: Finish,
  abort: AbortController,
) {
  let samples = 0;
  let pending = encoder.start();
  let finished = false;
  const done = (s: "ok" | "error" | "cancelled", e?: unknown) => {
    if (finished) return;
    finished = true;
    finish(s, samples / SAMPLE_RATE, e);
  };
  const delta = (bytes: Uint8Array) =>
    sse({ type: "speech.audio.delta", audio: Buffer.from(bytes).toString("base64") });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          while (true) {
            const r = await events.next();
            if (r.done) {
              controller.close();
              return done("ok");
            }
            const ev = r.value;
            if (ev.type === "words") {
              controller.enqueue(sse({ type: "speech.audio.timestamps", words: ev.words.words }));
              return;
            }
            if (ev.type === "audio") {
              samples += ev.pcm.length;
              const bytes = concatBytes([pending, encoder.push(ev.pcm)]);
              pending = new Uint8Array(0);
              if (bytes.length) {
                onFirstAudio();
                controller.enqueue(delta(bytes));
                return;
              }
            } else if (ev.type === "end") {
              const tail = concatBytes([pending, encoder.end()]);
              if (tail.length) controller.enqueue(delta(tail));
              const outputTokens = Math.ceil(samples / SAMPLES_PER_FRAME);
              controller.enqueue(
                sse({
                  type: "speech.audio.done",
                  usage: {
                    input_tokens: inputTokens,
                    output_tokens: outputTokens,
                    total_tokens: inputTokens + outputTokens,
                  },
                }),
              );
              controller.close();
              return done("ok");
            }
          }
        } catch (err) {
          if (abort.signal.aborted) return done("cancelled");
          const wire = toWireError(err);
          controller.enqueue(sse({ type: "error", ...errorBody(wire) }));
          controller.close();
          done("error", err);
        }
      },
      async cancel() {
        abort.abort(new Error("client disconnected"));
        await events.return(undefined);
        done("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}
