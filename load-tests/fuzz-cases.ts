/**
 * Hostile and careless requests for the fuzz run (issue 20): every route of
 * the gateway and the mirror, odd methods, huge and odd bodies, bad JSON, NUL
 * and lone surrogates, odd headers, Range and If-Range, odd paths. Pure: a
 * seeded generator, so a failing request can be made again from its seed.
 */

export interface FuzzRequest {
  /** Which server: the gateway or the model mirror. */
  target: "gateway" | "mirror";
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Mulberry32: small, fast, good enough to pick cases. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, pick, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const ODD_STRINGS = [
  "",
  " ",
  "hello",
  "Hello, world.",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udc00y",
  "\ud83d\ude00",
  "🎉🎉🎉",
  "👍🏽",
  "__proto__",
  "constructor",
  "toString",
  "-->",
  "00:00:01,000 --> 00:00:02,000",
  "[pause:1s]",
  "[pause:99999s]",
  "[kokoro](/kˈOkəɹO/)",
  "word" + ",".repeat(600),
  "(".repeat(300) + "x",
  "9".repeat(200),
  "x".repeat(3000),
  "مرحبا",
  "東京",
  "\u202e\u200b\u00ad",
  "%00",
  "../../etc/passwd",
  "${jndi:x}",
  "<script>",
  "' or 1=1 --",
  "\\",
  '"',
  "\r\n\r\n",
  "null",
  "true",
  "1e309",
  "-0",
];
const ODD_VALUES = (r: Rng): unknown =>
  r.pick<() => unknown>([
    () => r.pick(ODD_STRINGS),
    () => r.int(1e9) - 5e8,
    () => 1e309,
    () => -1,
    () => 0,
    () => 0.5,
    () => null,
    () => true,
    () => [],
    () => ({}),
    () => [r.pick(ODD_STRINGS)],
    () => ({ __proto__: { polluted: 1 } }),
    () => "x".repeat(r.int(5000)),
  ])();

const VOICES = [
  "af_heart",
  "bf_emma",
  "alloy",
  "af_heart+bf_emma",
  "af_heart*0.5+bf_emma*0.5",
  "zz_nobody",
  "jf_alpha",
  "__proto__",
  "",
];
const FORMATS = ["mp3", "wav", "pcm", "opus", "flac", "aac", "mp3;", "WAV", "__proto__"];

function speechBody(r: Rng): unknown {
  const body: Record<string, unknown> = {
    model: r.pick(["kokoro", "tts-1", "gpt-4o-mini-tts", "nope", "__proto__"]),
    input: r.pick(ODD_STRINGS),
    voice: r.pick(VOICES),
    response_format: r.pick(FORMATS),
  };
  if (r.chance(0.3)) body.speed = r.pick([0.25, 1, 4, 0, -1, 100, "fast", null]);
  if (r.chance(0.2)) body.stream_format = r.pick(["sse", "audio", "x"]);
  if (r.chance(0.2))
    body[r.pick(["language", "instructions", "pronunciations", "input", "voice"])] = ODD_VALUES(r);
  return body;
}

function srt(r: Rng): string {
  const cues = [];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const a = r.pick(["00:00:00,000", "00:00:01,500", "03:00:00,000", "99:59:59,999", "00:00:-1,000", "x"]);
    const b = r.pick(["00:00:01,000", "00:00:02,000", "00:00:00,500", "99999:00:00,000"]);
    cues.push(`${i + 1}\n${a} --> ${b}\n${r.pick(ODD_STRINGS)}\n`);
  }
  return cues.join("\n");
}

function subtitlesBody(r: Rng): unknown {
  const body: Record<string, unknown> = {
    document: r.chance(0.8) ? srt(r) : ODD_VALUES(r),
    voice: r.pick(VOICES),
    response_format: r.pick(FORMATS),
  };
  if (r.chance(0.3)) body.format = r.pick(["srt", "vtt", "ass", "x"]);
  if (r.chance(0.2)) body.speakers = r.pick([{ A: "af_heart" }, { __proto__: "x" }, "x", []]);
  if (r.chance(0.2)) body.retime = r.pick([true, false, "x", { max_speed: 2 }]);
  return body;
}

function jobBody(r: Rng): unknown {
  // Jobs are rendered in the background: keep their inputs small so the run measures the API, not rendering.
  return r.pick<() => unknown>([
    () => ({
      input: r.pick(["tiny job", "Hi.", "\u0000", "\ud800", ""]),
      voice: r.pick(VOICES),
      response_format: r.pick(FORMATS),
    }),
    () => ({ document: srt(r).slice(0, 400), voice: r.pick(VOICES) }),
    () => ({ input: "tiny", language: r.pick(ODD_STRINGS) }),
    () => ({}),
    () => ODD_VALUES(r),
  ])();
}

function jsonish(r: Rng, value: unknown): string | Uint8Array {
  return r.pick<() => string | Uint8Array>([
    () => JSON.stringify(value),
    () => JSON.stringify(value),
    () => JSON.stringify(value).slice(0, r.int(40)),
    () => "{",
    () => "",
    () => "null",
    () => "[]",
    () => `{"input": "${"\\ud800"}", "voice": "af_heart"}`,
    () => `{"input": "a\\u0000b", "voice": "af_heart"}`,
    () => new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]),
    () => JSON.stringify({ a: "x".repeat(200_000) }),
    () => "[".repeat(5000),
    () => JSON.stringify(value) + "garbage",
  ])();
}

const METHODS = [
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "post",
  "FOO",
  "PROPFIND",
  "TRACE",
];

function oddHeaders(r: Rng, key: string, admin: string): Record<string, string> {
  const h: Record<string, string> = {};
  const auth = r.pick([
    `Bearer ${key}`,
    `Bearer ${key}`,
    `Bearer ${key}`,
    `Bearer ${admin}`,
    "Bearer",
    "Basic dXNlcjpwYXNz",
    `bearer ${"k".repeat(5000)}`,
    "Bearer ke_wrong",
    "",
  ]);
  if (auth) h.authorization = auth;
  h["content-type"] = r.pick([
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/JSON",
    "",
  ]);
  if (!h["content-type"]) delete h["content-type"];
  if (r.chance(0.15))
    h.range = r.pick([
      "bytes=0-3",
      "bytes=5-2",
      "bytes=-3",
      "bytes=100-",
      "bytes=0-0,2-3",
      "items=0-1",
      "bytes=x-y",
      "bytes=99999999999999999999-",
    ]);
  if (r.chance(0.05)) h["if-range"] = r.pick(['"stale"', "Wed, 21 Oct 2015 07:28:00 GMT", "x"]);
  if (r.chance(0.05)) h["x-request-id"] = r.pick(["x".repeat(1000), "id\u00e9", "id"]);
  if (r.chance(0.05)) h["idempotency-key"] = r.pick(["k1", "x".repeat(500), ""]);
  if (r.chance(0.05))
    h.traceparent = r.pick([
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "garbage",
      "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-00",
    ]);
  if (r.chance(0.05)) h.accept = r.pick(["text/event-stream", "*/*", "audio/mpeg", "x"]);
  if (r.chance(0.03)) h["x-big"] = "y".repeat(8_000 + r.int(40_000));
  return h;
}

const JOB_IDS = [
  "job_00000000000000000000000000000000",
  "%00",
  "%ED%A0%80",
  "nothing*",
  "x".repeat(300),
  "'",
  "..%2F..%2Fetc",
  "job_",
  "%20",
];
const MIRROR_PATHS = [
  "/org/repo/resolve/main/a.txt",
  "/org/repo/resolve/main/nothing*",
  "/org/repo/resolve/main/[a-z]*",
  "/org/repo/resolve/main/%00",
  "/org/repo/resolve/main/..%2F..%2Fetc%2Fpasswd",
  "/org/repo/raw/main/a.txt",
  "/models/org/repo/resolve/main/a.txt",
  "/org/repo/resolve/other/a.txt",
  "/api/models/org/repo",
  "/api/models/org/repo/revision/main",
  "/api/models/%00/x",
  "/healthz",
  "/readyz",
  "/metrics",
  "/org/repo/resolve/main/",
  "/org/repo/resolve/main/a.txt?x=%ZZ",
];

/** Request number `i` of the run with this seed. */
export function fuzzRequest(
  seed: number,
  i: number,
  key: string,
  admin: string,
  jobIds: readonly string[],
): FuzzRequest {
  const r = rng(seed * 1_000_003 + i);
  const headers = oddHeaders(r, key, admin);
  const method = r.chance(0.8) ? "" : r.pick(METHODS);
  const jobId = r.chance(0.5) && jobIds.length ? r.pick(jobIds) : r.pick(JOB_IDS);
  const routes: Array<() => FuzzRequest> = [
    () => ({
      target: "gateway",
      method: method || "POST",
      path: "/v1/audio/speech",
      headers,
      body: jsonish(r, speechBody(r)),
    }),
    () => ({
      target: "gateway",
      method: method || "POST",
      path: "/v1/audio/speech",
      headers,
      body: jsonish(r, speechBody(r)),
    }),
    () => ({
      target: "gateway",
      method: method || "POST",
      path: "/v1/audio/phonemize",
      headers,
      body: jsonish(r, {
        input: r.pick(ODD_STRINGS),
        voice: r.pick(VOICES),
        language: r.chance(0.3) ? r.pick(ODD_STRINGS) : undefined,
      }),
    }),
    () => ({
      target: "gateway",
      method: method || "POST",
      path: "/v1/audio/subtitles",
      headers,
      body: jsonish(r, subtitlesBody(r)),
    }),
    () => ({
      target: "gateway",
      method: method || "POST",
      path: "/v1/jobs",
      headers,
      body: jsonish(r, jobBody(r)),
    }),
    () => ({
      target: "gateway",
      method: method || "GET",
      path: `/v1/jobs/${jobId}${r.pick(["", "", "/audio", "/subtitles", "/events", "/x"])}${r.pick(["", "?cues=false", "?format=vtt", "?x=%ZZ"])}`,
      headers,
    }),
    () => ({ target: "gateway", method: method || "DELETE", path: `/v1/jobs/${jobId}`, headers }),
    () => ({
      target: "gateway",
      method: method || "GET",
      path: r.pick(["/v1/jobs", "/v1/jobs?limit=-1", "/v1/jobs?limit=99999", "/v1/jobs?after=%00"]),
      headers,
    }),
    () => ({
      target: "gateway",
      method: method || "GET",
      path: r.pick([
        "/v1/voices",
        "/v1/voices?language=__proto__",
        "/v1/voices?language=%00",
        "/v1/models",
        "/v1/models/kokoro",
        "/v1/models/%00",
        "/v1/models/__proto__",
      ]),
      headers,
    }),
    () => ({
      target: "gateway",
      method: method || "GET",
      path: r.pick([
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/",
        "/v1",
        "/v1/",
        "//v1/models",
        "/v1/../admin/keys",
        "/%00",
        "/v1/audio/speech/x",
        "/x".repeat(2000),
      ]),
      headers,
    }),
    () => ({
      target: "gateway",
      method: method || r.pick(["GET", "POST"]),
      path: "/admin/keys",
      headers: {
        ...headers,
        authorization: r.chance(0.7) ? `Bearer ${admin}` : (headers.authorization ?? ""),
      },
      body: jsonish(r, {
        name: r.pick(ODD_STRINGS),
        rate_limit_per_minute: r.chance(0.3) ? ODD_VALUES(r) : undefined,
        max_streams: r.chance(0.3) ? ODD_VALUES(r) : undefined,
      }),
    }),
    () => ({
      target: "gateway",
      method: "DELETE",
      path: `/admin/keys/${r.pick(["%00", "ke_", "ke_%25", "nothing", "x".repeat(400), "%ED%A0%80"])}`,
      headers: { ...headers, authorization: `Bearer ${admin}` },
    }),
    () => ({
      target: "gateway",
      method: method || r.pick(["GET", "HEAD"]),
      path: r.pick(MIRROR_PATHS),
      headers,
    }),
    () => ({
      target: "mirror",
      method: method || r.pick(["GET", "HEAD"]),
      path: r.pick(MIRROR_PATHS),
      headers,
    }),
  ];
  const req = r.pick(routes)();
  // GET and HEAD carry no body in fetch.
  if (["GET", "HEAD"].includes(req.method.toUpperCase())) delete req.body;
  return req;
}
