/**
 * Property-based fuzzing (fast-check) of request bodies, headers, methods,
 * paths and query strings on every route of a real gateway: never a 5xx,
 * every error in OpenAI's shape, and the service stays up and ready.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Stack } from "../../stack";
import { createKey } from "../src/auth/keys";
import type { GatewayService } from "../src";
import { extraGateway, sharedStack } from "./api.stack";

const ADMIN = "fuzz-admin-token-0123456789abcdef";
let s: Stack;
let keyed: GatewayService;
let key = "";
beforeAll(async () => {
  s = await sharedStack();
  keyed = await extraGateway({
    API_KEYS_REQUIRED: "true",
    ADMIN_TOKEN: ADMIN,
    RATE_LIMIT_RPM: "0",
    MAX_STREAMS_PER_KEY: "0",
    MAX_INPUT_CHARS: "300",
  });
  key = (await createKey(s.db.db, { name: "fuzz" })).key;
});
afterAll(async () => {
  await keyed?.stop();
});

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * RUNS)), seed: SEED, endOnFailure: true });

// ---- arbitraries ---------------------------------------------------------------
const printable = fc
  .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 60 })
  .map((c) => String.fromCharCode(...c));
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "Hello there.",
    "  ",
    "",
    "[pause:1.5] Hi.",
    "Dr. Smith paid $4.20 at 3 p.m.",
    "…!?",
    "\u0000\uFFFF",
    "a\ud800b",
    "e\u0301\u0301",
  ),
);
const voice = fc.oneof(
  fc.constantFrom(
    "af_heart",
    "alloy",
    "bm_george",
    "af_bella(2)+af_sky(1)",
    "af_heart(0)",
    "af_heart+",
    "(",
    "zz_x",
    "AF_HEART",
    " nova ",
  ),
  printable,
);
const jsonValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const speechBody = fc
  .record(
    {
      model: fc.oneof(
        fc.constantFrom("kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts", "whisper-1", ""),
        jsonValue,
      ),
      input: fc.oneof(text, jsonValue),
      voice: fc.oneof(voice, jsonValue),
      response_format: fc.oneof(
        fc.constantFrom("mp3", "opus", "aac", "flac", "wav", "pcm", "MP3", "ogg"),
        jsonValue,
      ),
      speed: fc.oneof(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.constantFrom(0.25, 4, 0, 1e308, -0),
        jsonValue,
      ),
      stream_format: fc.oneof(fc.constantFrom("audio", "sse", "SSE"), jsonValue),
      instructions: fc.oneof(text, jsonValue),
      language: fc.oneof(fc.constantFrom("en-us", "en-gb", "a", "b", "fr", "xx", ""), jsonValue),
      pronunciations: fc.oneof(
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
        jsonValue,
      ),
    },
    { requiredKeys: [] },
  )
  .chain((known) =>
    fc
      .dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 2 })
      .map((extra) => ({ ...extra, ...known })),
  );
const phonemizeBody = fc.record(
  {
    input: fc.oneof(text, jsonValue),
    voice: fc.oneof(voice, jsonValue),
    language: fc.oneof(fc.constantFrom("en-us", "en-gb", "xx"), jsonValue),
    pronunciations: jsonValue,
  },
  { requiredKeys: [] },
);
const rawBody = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "",
    "{",
    "[]",
    "null",
    "1",
    '"x"',
    '{"input":',
    "\u0000",
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
  fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b)),
);
const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "",
  ),
  printable,
);
const junkHeaders = fc.record(
  {
    "x-request-id": printable,
    authorization: fc.oneof(
      fc.constantFrom("Bearer", "Bearer ", "Basic x", "bearer ke_x", `Bearer ${"k".repeat(300)}`),
      printable,
    ),
    accept: printable,
    "x-api-key": printable,
    origin: printable,
    traceparent: fc.oneof(printable, fc.constant("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
  },
  { requiredKeys: [] },
);
const queryPart = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  fc.constantFrom(
    "language=en-us",
    "language=",
    "available=true",
    "available=maybe",
    "include_revoked=1",
    "%",
    "%zz=1",
    "a=%E0%A4%A",
    "&&",
    "==",
    "language[]=x",
    "available=true&available=false",
  ),
);
const query = fc
  .array(queryPart, { maxLength: 4 })
  .map((parts) => (parts.length ? `?${parts.join("&")}` : ""));
const getPath = fc.oneof(
  fc.constantFrom(
    "/v1/voices",
    "/v1/models",
    "/v1/models/kokoro",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/admin/keys",
    "/v1/audio/speech",
    "/",
    "/v1",
    "/v1/",
  ),
  fc.constantFrom(
    "/v1/jobs",
    "/v1/jobs/x",
    "/v1/jobs/x/audio",
    "/v1/jobs/x/subtitles",
    "/v1/jobs/x/events",
    "/v1/audio/subtitles",
    "/v1/jobs/%zz",
  ),
  fc.constantFrom(
    "/studio",
    "/studio/app.css",
    "/v1/subtitles/parse",
    "/v1/projects",
    "/v1/projects/x",
    "/v1/projects/%zz",
  ),
  fc.string({ maxLength: 20 }).map((x) => `/v1/models/${encodeURIComponent(x)}`),
  fc.constantFrom(
    "/v1/models/%",
    "/v1/models/%zz",
    "/admin/keys/%E0%A4%A",
    "/v1/../healthz",
    "/v1/voices/",
    "//v1/models",
    "/v1/models/a%2Fb",
  ),
);
const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");

// ---- the property ----------------------------------------------------------------
const seen = new Map<number, number>();

/** Send, read the whole body, and check: no 5xx, errors in OpenAI's shape, streams finish without a server error. */
async function check(url: string, init: RequestInit): Promise<void> {
  const res = await fetch(url, { ...init, redirect: "manual" });
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  const type = res.headers.get("content-type") ?? "";
  const body = init.method === "HEAD" ? "" : await res.text();
  if (res.status >= 500) throw new Error(`${init.method} ${url} -> ${res.status}: ${body.slice(0, 300)}`);
  if (res.status >= 400 && init.method !== "HEAD") {
    expect(type).toContain("application/json");
    const err = JSON.parse(body).error;
    expect(typeof err.code).toBe("string");
    expect(typeof err.message).toBe("string");
    expect(err.type).toBeTruthy();
  }
  if (res.status === 200 && type.startsWith("text/event-stream")) {
    for (const line of body.split("\n\n").filter(Boolean)) {
      const d = JSON.parse(line.replace(/^data: /, ""));
      if (d.type === "error") throw new Error(`stream error event: ${JSON.stringify(d)}`);
    }
    expect(body).toContain("speech.audio.done");
  }
}

const target = (keyedGateway: boolean) => (keyedGateway ? keyed.url : s.url);
const authFor = (keyedGateway: boolean, withKey: boolean): Record<string, string> =>
  keyedGateway && withKey ? { authorization: `Bearer ${key}` } : {};

describe("fuzzing every route: never a 5xx", () => {
  test("POST /v1/audio/speech bodies", async () => {
    await fc.assert(
      fc.asyncProperty(speechBody, fc.boolean(), fc.boolean(), async (body, k, withKey) => {
        await check(`${target(k)}/v1/audio/speech`, {
          method: "POST",
          headers: { "content-type": "application/json", ...authFor(k, withKey) },
          body: JSON.stringify(body),
        });
      }),
      runs(400),
    );
  }, 120_000);

  test("POST /v1/audio/speech: valid-looking requests in every format, speed and stream format", async () => {
    const valid = fc.record({
      model: fc.constantFrom("kokoro", "tts-1"),
      input: fc.oneof(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.constantFrom("Hello.", "Numbers: 1, 22, 333.", "A... B!? C;"),
      ),
      voice: fc.constantFrom("af_heart", "alloy", "bm_george", "af_bella(2)+af_sky(1)", "echo"),
      response_format: fc.constantFrom("mp3", "opus", "flac", "wav", "pcm"),
      speed: fc.double({ min: 0.25, max: 4, noNaN: true }),
      stream_format: fc.constantFrom("audio", "sse"),
    });
    await fc.assert(
      fc.asyncProperty(valid, async (body) => {
        await check(`${s.url}/v1/audio/speech`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      }),
      runs(40),
    );
  }, 120_000);

  test("POST /v1/audio/phonemize bodies", async () => {
    await fc.assert(
      fc.asyncProperty(phonemizeBody, async (body) => {
        await check(`${s.url}/v1/audio/phonemize`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      }),
      runs(300),
    );
  }, 120_000);

  test("POST /v1/audio/subtitles and /v1/jobs bodies", async () => {
    const doc = fc.oneof(
      text,
      fc.constantFrom(
        "1\n00:00:00,000 --> 00:00:01,000\nHello.\n",
        "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hi there.\n",
        "[Script Info]\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:00.00,0:00:01.00,Default,Bob,0,0,0,,Yes.\n",
        "1\n00:00:05,000 --> 00:00:01,000\nBackwards.\n",
        "WEBVTT\n\nnot a cue",
      ),
      jsonValue,
    );
    const body = fc.record(
      {
        document: doc,
        input: fc.oneof(text, jsonValue),
        filename: fc.oneof(fc.constantFrom("a.srt", "b.vtt", "c.ass", "x"), jsonValue),
        format: fc.oneof(fc.constantFrom("srt", "vtt", "ass", "text", "doc"), jsonValue),
        voice: fc.oneof(voice, jsonValue),
        speakers: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), voice, { maxKeys: 2 }), jsonValue),
        response_format: fc.oneof(fc.constantFrom("wav", "pcm", "mp3", "aac"), jsonValue),
        speed: fc.oneof(fc.double({ min: -1, max: 5, noNaN: true }), jsonValue),
        max_speed: fc.oneof(fc.double({ min: -1, max: 5, noNaN: true }), jsonValue),
        retime: fc.oneof(fc.constantFrom("srt", "vtt", "ass"), jsonValue),
        stream_format: fc.oneof(fc.constantFrom("audio", "sse"), jsonValue),
        async: fc.oneof(fc.boolean(), jsonValue),
      },
      { requiredKeys: [] },
    );
    const route = fc.constantFrom("/v1/audio/subtitles", "/v1/jobs");
    await fc.assert(
      fc.asyncProperty(route, body, async (path, b) => {
        await check(`${s.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(b),
        });
      }),
      runs(200),
    );
  }, 120_000);

  test("raw bodies with any content type and junk headers, on every POST route", async () => {
    const route = fc.constantFrom(
      "/v1/audio/speech",
      "/v1/audio/phonemize",
      "/v1/audio/subtitles",
      "/v1/jobs",
      "/admin/keys",
      "/v1/voices",
      "/healthz",
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        rawBody,
        contentType,
        junkHeaders,
        fc.boolean(),
        async (path, body, type, headers, k) => {
          const h: Record<string, string> = { ...(headers as Record<string, string>) };
          if (type) h["content-type"] = type;
          if (path.startsWith("/admin") && k) h.authorization = `Bearer ${ADMIN}`;
          await check(`${target(k)}${path}`, { method: "POST", headers: h, body });
        },
      ),
      runs(400),
    );
  }, 120_000);

  test("methods, paths, query strings and headers on every route", async () => {
    await fc.assert(
      fc.asyncProperty(method, getPath, query, junkHeaders, fc.boolean(), async (m, path, q, headers, k) => {
        const h: Record<string, string> = { ...(headers as Record<string, string>) };
        if (path.startsWith("/admin") && k) h.authorization = `Bearer ${ADMIN}`;
        await check(`${target(k)}${path}${q}`, {
          method: m,
          headers: h,
          body: m === "GET" || m === "HEAD" ? undefined : "{}",
        });
      }),
      runs(600),
    );
  }, 120_000);

  test("admin bodies (with the admin token)", async () => {
    const body = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 300 }), jsonValue),
        rate_limit_per_minute: jsonValue,
        max_streams: jsonValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await check(`${keyed.url}/admin/keys`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify(b),
        });
      }),
      runs(150),
    );
    const refs = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom("ke_", "ke_%", "ke__", "%", "\\", "'"),
    );
    await fc.assert(
      fc.asyncProperty(refs, async (ref) => {
        await check(`${keyed.url}/admin/keys/${encodeURIComponent(ref)}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${ADMIN}` },
        });
      }),
      runs(150),
    );
  }, 120_000);

  test("afterwards the service is up and ready, and answered with a spread of statuses", async () => {
    for (const url of [s.url, keyed.url]) {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    }
    const ok = await fetch(`${s.url}/v1/audio/speech`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "kokoro",
        input: "Still here.",
        voice: "af_heart",
        response_format: "wav",
      }),
    });
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    // The fuzzing reached past validation: successes and several kinds of 4xx.
    for (const status of [200, 400, 401, 404]) expect(seen.get(status) ?? 0).toBeGreaterThan(0);
    expect([...seen.keys()].every((st) => st < 500)).toBe(true);
    if (process.env.FUZZ_VERBOSE) console.log("statuses seen", Object.fromEntries(seen));
  });
});
