/**
 * load-tests/: the local driver measures what it says (against a loopback
 * server whose timing it controls, and against the real embedded stack),
 * refuses targets off this machine, stays within its bounds; the k6 scripts
 * parse and every profile has both transports and TTFA / error thresholds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  base64Bytes,
  isLoopbackUrl,
  PCM_BYTES_PER_SECOND,
  percentile,
  rows,
  runLoad,
  speechRequest,
  summarize,
  table,
  TEXTS,
  type LoadOptions,
} from "../../load-tests/load";
import { parseCli } from "../../load-tests/driver";
import { repoPath } from "./lib/repo";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("stats", () => {
  test("nearest-rank percentiles", () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 unsorted
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test("base64 length without decoding", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 48_001])
      expect(base64Bytes(Buffer.alloc(n).toString("base64"))).toBe(n);
  });

  test("summary: errors, rates, audio", () => {
    const r = summarize(
      [
        { mode: "pcm", chars: 5, ok: true, status: 200, ttfaMs: 100, totalMs: 1000, audioS: 2 },
        { mode: "pcm", chars: 5, ok: true, status: 200, ttfaMs: 300, totalMs: 3000, audioS: 2 },
        { mode: "pcm", chars: 5, ok: false, status: 503, totalMs: 5, audioS: 0, error: "HTTP 503" },
      ],
      4,
      "pcm",
    );
    expect(r).toMatchObject({ requests: 3, ok: 2, errors: 1, audioS: 4, audioPerWallS: 1 });
    expect(r.errorRate).toBeCloseTo(1 / 3);
    expect(r.ttfa).toEqual({ p50: 100, p95: 300, max: 300 });
    expect(r.rtfP50).toBe(0.5);
    expect(table([r])).toContain("TTFA p50");
  });
});

describe("targets and bounds", () => {
  test("only loopback targets", () => {
    for (const u of ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "http://127.9.8.7"])
      expect(isLoopbackUrl(u)).toBe(true);
    for (const u of [
      "http://10.0.0.1:8080",
      "http://192.168.1.2",
      "http://example.com",
      "http://127.0.0.1.nip.io",
      "ftp://127.0.0.1",
      "nonsense",
    ])
      expect(isLoopbackUrl(u)).toBe(false);
  });

  test("runLoad refuses other targets and unbounded settings before sending anything", async () => {
    const base: LoadOptions = {
      url: "http://127.0.0.1:9",
      concurrency: 1,
      durationS: 1,
      maxRequests: 1,
      modes: ["pcm"],
      inputs: ["hi"],
      voice: "af_heart",
      timeoutMs: 1000,
    };
    await expect(runLoad({ ...base, url: "http://10.1.2.3:8080" })).rejects.toThrow(
      /only targets this machine/,
    );
    await expect(runLoad({ ...base, durationS: 10_000 })).rejects.toThrow(/duration/);
    await expect(runLoad({ ...base, concurrency: 100_000 })).rejects.toThrow(/concurrency/);
    await expect(runLoad({ ...base, maxRequests: 10_000_000 })).rejects.toThrow(/max requests/);
  });

  test("the CLI parses its options and rejects unknown ones", () => {
    const c = parseCli(
      ["-c", "8", "-d", "5", "--mode", "sse", "--text", "short", "--url", "http://127.0.0.1:9999"],
      {},
    );
    expect(c).toMatchObject({
      concurrency: 8,
      durationS: 5,
      modes: ["sse"],
      inputs: [TEXTS.short],
      url: "http://127.0.0.1:9999",
    });
    expect(() => parseCli(["--bogus"], {})).toThrow(/unknown option/);
    expect(() => parseCli(["--spawn", "cluster"], {})).toThrow(/embedded or distributed/);
  });

  test("the CLI exits non-zero on a non-loopback URL", async () => {
    const p = Bun.spawn(
      [process.execPath, repoPath("load-tests/driver.ts"), "--url", "http://192.168.77.1:8080", "-d", "1"],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
    expect(code).not.toBe(0);
    expect(err).toContain("only targets this machine");
  });
});

describe("against a loopback server with known timing", () => {
  let server: ReturnType<typeof Bun.serve>;
  let url = "";
  let inFlight = 0;
  let maxInFlight = 0;
  const FIRST_AUDIO_MS = 150;
  const CHUNK = new Uint8Array(PCM_BYTES_PER_SECOND / 2); // 0.5 s of audio

  beforeAll(() => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        const body = (await req.json()) as { input: string; stream_format?: string; response_format: string };
        if (body.input === "fail")
          return Response.json({ error: { message: "no synth worker" } }, { status: 503 });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const enc = new TextEncoder();
        const sse = body.stream_format === "sse";
        const stream = new ReadableStream<Uint8Array>({
          async start(c) {
            try {
              await sleep(FIRST_AUDIO_MS);
              if (body.input === "stall") {
                c.enqueue(CHUNK);
                await sleep(1500);
                c.close();
                return;
              }
              const n = body.input === "slow" ? 8 : 3;
              for (let i = 0; i < n; i++) {
                if (body.input === "slow") await sleep(120);
                c.enqueue(
                  sse
                    ? enc.encode(
                        `data: ${JSON.stringify({ type: "speech.audio.delta", audio: Buffer.from(CHUNK).toString("base64") })}\n\n`,
                      )
                    : CHUNK,
                );
                await sleep(20);
              }
              if (sse && body.input === "sse-error")
                c.enqueue(
                  enc.encode(
                    `data: ${JSON.stringify({ type: "error", error: { message: "worker lost" } })}\n\n`,
                  ),
                );
              else if (sse && body.input !== "sse-cut")
                c.enqueue(
                  enc.encode(`data: ${JSON.stringify({ type: "speech.audio.done", usage: {} })}\n\n`),
                );
              c.close();
            } finally {
              inFlight--;
            }
          },
        });
        return new Response(stream, { headers: { "content-type": sse ? "text/event-stream" : "audio/pcm" } });
      },
    });
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.stop(true));

  const o = () => ({ url, voice: "af_heart", timeoutMs: 5000 });

  test("pcm: time to first audio, total time and audio seconds", async () => {
    const s = await speechRequest(o(), "pcm", "hello");
    expect(s.ok).toBe(true);
    expect(s.audioS).toBeCloseTo(1.5, 5);
    expect(s.ttfaMs!).toBeGreaterThanOrEqual(FIRST_AUDIO_MS - 5);
    expect(s.ttfaMs!).toBeLessThan(FIRST_AUDIO_MS + 200);
    expect(s.totalMs).toBeGreaterThanOrEqual(s.ttfaMs! + 35);
  });

  test("sse: deltas decoded, done required, error events and cut streams are failures", async () => {
    const s = await speechRequest(o(), "sse", "hello");
    expect(s).toMatchObject({ ok: true, mode: "sse" });
    expect(s.audioS).toBeCloseTo(1.5, 5);
    expect(s.ttfaMs!).toBeGreaterThanOrEqual(FIRST_AUDIO_MS - 5);
    expect(await speechRequest(o(), "sse", "sse-error")).toMatchObject({
      ok: false,
      error: "SSE error: worker lost",
    });
    expect(await speechRequest(o(), "sse", "sse-cut")).toMatchObject({
      ok: false,
      error: "SSE stream ended without speech.audio.done",
    });
    expect(await speechRequest(o(), "pcm", "fail")).toMatchObject({ ok: false, status: 503 });
  });

  test("the timeout is for silence, not for a long stream that keeps flowing", async () => {
    const stalled = await speechRequest({ ...o(), timeoutMs: 400 }, "pcm", "stall");
    expect(stalled).toMatchObject({ ok: false, error: "timed out: no data for 400 ms" });
    expect(stalled.totalMs).toBeLessThan(1200);
    const slow = await speechRequest({ ...o(), timeoutMs: 400 }, "pcm", "slow");
    expect(slow.ok).toBe(true);
    expect(slow.totalMs).toBeGreaterThan(900); // longer than the timeout, never silent for as long
    expect(slow.audioS).toBeCloseTo(4, 5);
  });

  test("runLoad keeps N streams in flight, stops at the request budget, and alternates modes", async () => {
    maxInFlight = 0;
    const r = await runLoad({
      ...o(),
      concurrency: 3,
      durationS: 30,
      maxRequests: 12,
      modes: ["pcm", "sse"],
      inputs: ["a", "b"],
    });
    expect(r.samples.length).toBe(12);
    expect(r.samples.every((s) => s.ok)).toBe(true);
    expect(maxInFlight).toBe(3);
    const [pcm, sse, all] = rows(r);
    expect([pcm!.requests, sse!.requests, all!.requests]).toEqual([6, 6, 12]);
    expect(all!.audioS).toBeCloseTo(18, 5);
  });

  test("runLoad stops starting requests at the deadline", async () => {
    const t0 = performance.now();
    const r = await runLoad({
      ...o(),
      concurrency: 2,
      durationS: 0.5,
      maxRequests: 1000,
      modes: ["pcm"],
      inputs: ["a"],
    });
    const wall = performance.now() - t0;
    expect(wall).toBeLessThan(1500);
    expect(r.samples.length).toBeGreaterThanOrEqual(2);
    expect(r.samples.length).toBeLessThan(20);
  });
});

describe("against the real embedded stack (fixture model)", () => {
  let stack: { url: string; stop(): Promise<void>; synthReady: Promise<void> } | undefined;
  const shared = process.env.SHARED_DIR ?? repoPath("..", "shared");

  beforeAll(async () => {
    const { startStack } = await import("../../services/stack");
    stack = await startStack({
      PORT: "0",
      HOST: "127.0.0.1",
      MIRROR_PORT: "0",
      DATA_DIR: mkdtempSync(join(tmpdir(), "ke-load-test-")),
      KOKORO_MODEL: "fixture",
      VOICES_DIR: join(shared, "kokoro", "voices"),
      KOKORO_CONFIG: join(shared, "kokoro", "config.json"),
      MIRROR_UPSTREAMS: "file:///nonexistent-upstream",
      LOG_LEVEL: "error",
    });
    await stack.synthReady;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test("two concurrent streams of each kind: all succeed, with audio, TTFA before the end", async () => {
    const r = await runLoad({
      url: stack!.url,
      concurrency: 2,
      durationS: 3,
      maxRequests: 8,
      modes: ["pcm", "sse"],
      inputs: [TEXTS.short, TEXTS.medium],
      voice: "af_heart",
      timeoutMs: 30_000,
    });
    const bad = r.samples.filter((s) => !s.ok).map((s) => s.error);
    expect(bad).toEqual([]);
    expect(r.samples.length).toBeGreaterThanOrEqual(2);
    for (const s of r.samples) {
      expect(s.audioS).toBeGreaterThan(0.5);
      expect(s.ttfaMs!).toBeLessThanOrEqual(s.totalMs);
    }
    // pcm and sse carry the same audio for the same text.
    const byText = new Map<number, number>();
    for (const s of r.samples) {
      if (byText.has(s.chars)) expect(s.audioS).toBeCloseTo(byText.get(s.chars)!, 3);
      else byText.set(s.chars, s.audioS);
    }
    expect(new Set(r.samples.map((s) => s.mode)).size).toBe(2);
  });
});

describe("k6 scripts", () => {
  const PROFILES = ["smoke", "load", "stress", "spike", "soak"];

  test("one script for every profile: it parses, runs both transports, and takes its profile from PROFILE", () => {
    const t = new Bun.Transpiler({ loader: "js" });
    const src = readFileSync(repoPath("load-tests/k6/speech.js"), "utf8");
    const scan = t.scan(src);
    expect(scan.exports.sort()).toEqual(["chunked", "options", "sse"]);
    expect(src).toContain('buildOptions(__ENV.PROFILE || "load")');
    expect(scan.imports.map((i) => i.path)).toContain("./lib/speech.js");
    // no per-profile copies left behind
    expect(readdirSync(repoPath("load-tests/k6")).filter((f) => f.endsWith(".js"))).toEqual(["speech.js"]);
    const lib = t.scan(readFileSync(repoPath("load-tests/k6/lib/speech.js"), "utf8"));
    expect(lib.imports.map((i) => i.path).sort()).toEqual([
      "k6",
      "k6/encoding",
      "k6/http",
      "k6/metrics",
      "k6/x/sse",
    ]);
    expect(lib.exports).toEqual(expect.arrayContaining(["chunkedStream", "sseStream", "pick", "BASE_URL"]));
    expect(readFileSync(repoPath("load-tests/k6-operator/testrun.yaml"), "utf8")).toMatch(
      /-e PROFILE=(smoke|load|stress|spike|soak)\b/,
    );
  });

  test("every profile's options: two scenarios with the exec functions, thresholds on p95 TTFA and error rate", async () => {
    const { buildOptions, PROFILES: defs } = await import("../../load-tests/k6/lib/profiles.js");
    expect(Object.keys(defs).sort()).toEqual([...PROFILES].sort());
    for (const p of PROFILES) {
      const o = buildOptions(p);
      expect(Object.keys(o.scenarios).sort()).toEqual(["chunked", "sse"]);
      for (const [name, sc] of Object.entries(o.scenarios) as [string, any][]) {
        expect(sc.exec).toBe(name);
        expect(Math.max(...sc.stages.map((s: any) => s.target))).toBeGreaterThanOrEqual(1);
        expect(sc.stages.at(-1).target === 0 || p === "smoke").toBe(true);
      }
      const th = o.thresholds;
      const expr = (k: string) => th[k]!.map((x: any) => (typeof x === "string" ? x : x.threshold)).join();
      expect(expr("ttfa_ms{transport:sse}")).toMatch(/^p\(95\)<\d+$/);
      expect(expr("ttfb_ms{transport:chunked}")).toMatch(/^p\(95\)<\d+$/);
      expect(expr("speech_errors")).toMatch(/^rate<=0(\.\d+)?$/);
    }
    // Stress and spike tolerate more than load; smoke aborts at the first breach.
    const ttfa = (p: string) =>
      Number(/<(\d+)/.exec(JSON.stringify(buildOptions(p).thresholds["ttfa_ms{transport:sse}"]))![1]);
    expect(ttfa("stress")).toBeGreaterThan(ttfa("load"));
    expect(ttfa("spike")).toBeGreaterThan(ttfa("load"));
    expect((buildOptions("smoke").thresholds.speech_errors![0] as { abortOnFail: boolean }).abortOnFail).toBe(
      true,
    );
  });
});
