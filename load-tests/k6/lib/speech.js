// One speech stream per call, for the k6 scripts. Needs k6 with the SSE
// extension (xk6-sse, module "k6/x/sse"; see ../README.md for the build).
import http from "k6/http";
import { check } from "k6";
import { Counter, Rate, Trend } from "k6/metrics";
import encoding from "k6/encoding";
import sse from "k6/x/sse";

const env = __ENV;
export const BASE_URL = (env.BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const API_KEY = env.API_KEY || "";
const VOICE = env.VOICE || "af_heart";
const TIMEOUT = env.TIMEOUT || "120s";

export const TEXTS = [
  "The quick brown fox jumps over the lazy dog.",
  "Streaming speech lets a listener hear the first words while the rest is still being made. Each sentence is turned into phonemes, split into chunks, and sent to a worker.",
  "Operators scale synthesis workers on Kubernetes and watch latency while client applications send a steady stream of requests. The gateway accepts the text, checks the limits, and asks the phonemizer for tokens. Workers run the model and send raw audio back as soon as each chunk is ready.",
];

const ttfa = new Trend("ttfa_ms", true);
const ttfb = new Trend("ttfb_ms", true);
const total = new Trend("stream_total_ms", true);
const rtf = new Trend("stream_rtf");
const errors = new Rate("speech_errors");
const audio = new Counter("audio_seconds");

const PCM_BYTES_PER_SECOND = 24000 * 2; // s16le mono, 24 kHz

function body(input, sseMode) {
  const b = { model: "kokoro", input, voice: VOICE, response_format: "pcm" };
  if (sseMode) b.stream_format = "sse";
  return JSON.stringify(b);
}

function headers() {
  const h = { "Content-Type": "application/json" };
  if (API_KEY) h.Authorization = `Bearer ${API_KEY}`;
  return h;
}

function record(transport, ok, totalMs, bytes) {
  const tags = { transport };
  errors.add(!ok, tags);
  total.add(totalMs, tags);
  if (ok && bytes > 0) {
    const s = bytes / PCM_BYTES_PER_SECOND;
    audio.add(s, tags);
    rtf.add(totalMs / 1000 / s, tags);
  }
}

/** Chunked PCM. k6 reads the body whole: TTFB (headers) is what it can time; see README. */
export function chunkedStream(input) {
  const res = http.post(`${BASE_URL}/v1/audio/speech`, body(input, false), {
    headers: headers(),
    timeout: TIMEOUT,
    responseType: "binary",
    tags: { transport: "chunked", name: "POST /v1/audio/speech (pcm)" },
  });
  const bytes = res.body ? res.body.byteLength : 0;
  const ok = check(res, {
    "chunked: status 200": (r) => r.status === 200,
    "chunked: audio received": () => bytes > 0,
    "chunked: whole samples": () => bytes % 2 === 0,
  });
  if (res.status === 200) ttfb.add(res.timings.waiting, { transport: "chunked" });
  record("chunked", ok, res.timings.duration, bytes);
}

/** SSE: times the first speech.audio.delta event, the real time to first audio. */
export function sseStream(input) {
  const t0 = Date.now();
  let first = 0;
  let bytes = 0;
  let done = false;
  let failure = "";
  const res = sse.open(
    `${BASE_URL}/v1/audio/speech`,
    {
      method: "POST",
      headers: headers(),
      body: body(input, true),
      tags: { transport: "sse", name: "POST /v1/audio/speech (sse)" },
    },
    (client) => {
      client.on("event", (event) => {
        let ev;
        try {
          ev = JSON.parse(event.data);
        } catch (e) {
          failure = `bad event: ${String(event.data).slice(0, 80)}`;
          client.close();
          return;
        }
        if (ev.type === "speech.audio.delta") {
          const n = encoding.b64decode(ev.audio, "std").byteLength;
          if (n > 0 && !first) {
            first = Date.now();
            ttfa.add(first - t0, { transport: "sse" });
          }
          bytes += n;
        } else if (ev.type === "speech.audio.done") {
          done = true;
          client.close();
        } else if (ev.type === "error") {
          failure = (ev.error && ev.error.message) || "error event";
          client.close();
        }
      });
      client.on("error", (e) => {
        if (!done) failure = e.error();
      });
    },
  );
  const ok = check(res, {
    "sse: status 200": (r) => r && r.status === 200,
    "sse: audio received": () => bytes > 0,
    "sse: speech.audio.done": () => done,
    "sse: no error event": () => failure === "",
  });
  record("sse", ok, Date.now() - t0, bytes);
}

export function pick(i) {
  return TEXTS[i % TEXTS.length];
}
