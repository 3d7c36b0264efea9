/** The gateway's catalog and phonemize routes, usage records and CORS, on the real one-process stack. */
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contracts } from "@kokoro-edge/proto";
import { tables } from "@kokoro-edge/runtime";
import type { Stack } from "../../stack";
import { OPENAI_VOICES } from "../src/speech/request";
import { extraGateway, json, sharedStack } from "./api.stack";

let s: Stack;
beforeAll(async () => {
  s = await sharedStack();
});

describe("GET /v1/voices", () => {
  test("lists the synth replicas' voices with language, gender, engine and availability", async () => {
    const res = await fetch(`${s.url}/v1/voices`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.object).toBe("list");
    expect(body.engine).toBe("fixture");
    const names = body.data.map((v: { name: string }) => v.name);
    expect(names).toContain("af_heart");
    expect(names).toContain("bm_george");
    const heart = body.data.find((v: { name: string }) => v.name === "af_heart");
    expect(heart).toEqual({
      id: "af_heart",
      object: "voice",
      name: "af_heart",
      language: "en-us",
      gender: "female",
      engine: "fixture",
      available: true,
    });
    const george = body.data.find((v: { name: string }) => v.name === "bm_george");
    expect(george.language).toBe("en-gb");
    expect(george.gender).toBe("male");
  });

  test("documents OpenAI's voice names with the Kokoro voice each maps to", async () => {
    const body = await (await fetch(`${s.url}/v1/voices`)).json();
    const mapping = Object.fromEntries(
      body.openai_voices.map((v: { name: string; voice: string }) => [v.name, v.voice]),
    );
    expect(mapping).toEqual(OPENAI_VOICES);
    const available = new Set(
      body.data.filter((v: { available: boolean }) => v.available).map((v: { name: string }) => v.name),
    );
    for (const v of body.openai_voices) expect(v.available).toBe(available.has(v.voice));
  });

  test("filters by language and availability; a bad filter is a 400", async () => {
    const gb = await (await fetch(`${s.url}/v1/voices?language=EN-GB`)).json();
    expect(gb.data.length).toBeGreaterThan(0);
    expect(gb.data.every((v: { language: string }) => v.language === "en-gb")).toBe(true);
    const unavailable = await (await fetch(`${s.url}/v1/voices?available=false`)).json();
    expect(unavailable.data.every((v: { available: boolean }) => !v.available)).toBe(true);
    const bad = await fetch(`${s.url}/v1/voices?available=maybe`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.param).toBe("available");
  });
});

describe("GET /v1/models", () => {
  test("OpenAI's list shape: kokoro and its aliases", async () => {
    const body = await (await fetch(`${s.url}/v1/models`)).json();
    expect(body.object).toBe("list");
    expect(body.data.map((m: { id: string }) => m.id)).toEqual([
      "kokoro",
      "tts-1",
      "tts-1-hd",
      "gpt-4o-mini-tts",
    ]);
    for (const m of body.data) {
      expect(m.object).toBe("model");
      expect(typeof m.created).toBe("number");
      expect(m.owned_by).toBe("kokoro-edge");
    }
    expect(body.data[1].alias_of).toBe("kokoro");
    expect((await (await fetch(`${s.url}/v1/models/tts-1`)).json()).id).toBe("tts-1");
    const missing = await fetch(`${s.url}/v1/models/whisper-1`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("model_not_found");
  });
});

describe("POST /v1/audio/phonemize", () => {
  const input = "Dr. Smith paid $42 at 3 p.m.\n\nThen he left; quickly.";

  test("the g2p issue's shape: chunks with pauses, words with their original text and spans", async () => {
    const res = await json(`${s.url}/v1/audio/phonemize`, { input, voice: "af_heart" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["chunks", "language", "normalized", "phonemes", "tokens"]);
    expect(body.language).toBe("en-us");
    expect(body.tokens).toEqual(body.chunks.flatMap((c: { tokens: number[] }) => c.tokens));
    // The same tokens the speech route feeds the synth worker.
    const g2p = await s.bus.requestJson(contracts.g2p.phonemize, { v: 1, text: input, voice: "af_heart" });
    if ("error" in g2p) throw new Error(g2p.error.message);
    expect(body.tokens).toEqual(g2p.chunks.flatMap((c) => c.tokens));
    for (const c of body.chunks) {
      expect(Object.keys(c).sort()).toEqual([
        "normalized",
        "pause_after_s",
        "phonemes",
        "text",
        "tokens",
        "words",
      ]);
      expect(c.pause_after_s).toBeGreaterThanOrEqual(0);
      for (const w of c.words) {
        expect(Object.keys(w).sort()).toEqual(["end", "normalized", "phonemes", "start", "text"]);
        expect(input.slice(w.start, w.end)).toBe(w.text);
      }
    }
    // Exactly the public view of what g2p produced for this input.
    const { phonemizeView } = await import("@kokoro-edge/proto");
    expect(body).toEqual(phonemizeView(g2p, input));
    const words = body.chunks.flatMap((c: { words: { text: string }[] }) => c.words.map((w) => w.text));
    expect(words).toContain("$42");
    expect(body.normalized.toLowerCase()).toContain("forty");
  });

  test("the language comes from the voice (OpenAI names mapped) or is given", async () => {
    const viaVoice = await (
      await json(`${s.url}/v1/audio/phonemize`, { input: "Hello.", voice: "fable" })
    ).json(); // fable -> bm_fable
    expect(viaVoice.language).toBe("en-gb");
    const given = await (
      await json(`${s.url}/v1/audio/phonemize`, { input: "Hello.", language: "en-gb" })
    ).json();
    expect(given.language).toBe("en-gb");
    expect(given.phonemes).toBe(viaVoice.phonemes);
  });

  test("input limits and mistakes as for speech", async () => {
    const cases: [unknown, number, string][] = [
      [{ input: "   ", voice: "af_heart" }, 400, "empty_input"],
      [{ input: "a".repeat(10_001), voice: "af_heart" }, 400, "input_too_long"],
      [{ voice: "af_heart" }, 400, "invalid_request"],
      [{ input: 42 }, 400, "invalid_request"],
      ["[1,2]", 400, "invalid_request"],
      ["{not json", 400, "invalid_json"],
    ];
    for (const [body, status, code] of cases) {
      const res = await json(`${s.url}/v1/audio/phonemize`, body);
      expect(res.status).toBe(status);
      const err = (await res.json()).error;
      expect(err.code).toBe(code);
      expect(err.type).toBe("invalid_request_error");
    }
    const noType = await fetch(`${s.url}/v1/audio/phonemize`, {
      method: "POST",
      body: JSON.stringify({ input: "Hi", voice: "af_heart" }),
    });
    expect(noType.status).toBe(415);
    const huge = await json(`${s.url}/v1/audio/phonemize`, { input: "x".repeat(2_000_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe("body_too_large");
  });
});

describe("usage", () => {
  test("every speech stream is recorded in speech_requests: finished and cancelled", async () => {
    const gw = await extraGateway({ API_KEYS_REQUIRED: "false" });
    try {
      const okId = `usage-ok-${crypto.randomUUID()}`;
      const ok = await json(
        `${gw.url}/v1/audio/speech`,
        { model: "tts-1", input: "Usage is never lost.", voice: "alloy", response_format: "wav" },
        { "x-request-id": okId },
      );
      expect(ok.status).toBe(200);
      const bytes = (await ok.arrayBuffer()).byteLength;

      const cancelId = `usage-cancel-${crypto.randomUUID()}`;
      const long = "This sentence is long enough to need several chunks of audio. ".repeat(30);
      const cancel = await json(
        `${gw.url}/v1/audio/speech`,
        { model: "kokoro", input: long, voice: "af_heart", response_format: "pcm" },
        { "x-request-id": cancelId },
      );
      const reader = cancel.body!.getReader();
      await reader.read();
      await reader.cancel();

      const deadline = Date.now() + 5_000;
      let rows: (typeof tables.speechRequests.$inferSelect)[] = [];
      while (Date.now() < deadline) {
        await gw.flushUsage();
        rows = await s.db.db
          .select()
          .from(tables.speechRequests)
          .where(eq(tables.speechRequests.route, "/v1/audio/speech"));
        if (rows.some((r) => r.id === okId) && rows.some((r) => r.id === cancelId)) break;
        await Bun.sleep(100);
      }
      const okRow = rows.find((r) => r.id === okId)!;
      expect(okRow).toBeDefined();
      expect(okRow.status).toBe("ok");
      expect(okRow.voice).toBe("af_alloy");
      expect(okRow.model).toBe(ok.headers.get("x-kokoro-model"));
      expect(okRow.responseFormat).toBe("wav");
      expect(okRow.inputChars).toBe("Usage is never lost.".length);
      expect(okRow.audioSeconds!).toBeCloseTo((bytes - 44) / 2 / 24000, 2);
      expect(okRow.ttfaMs).toBeGreaterThanOrEqual(0);
      expect(okRow.finishedAt).toBeInstanceOf(Date);
      const cancelRow = rows.find((r) => r.id === cancelId)!;
      expect(cancelRow).toBeDefined();
      expect(cancelRow.status).toBe("cancelled");

      // A client that reuses its request id still gets one row per stream.
      const again = await json(
        `${gw.url}/v1/audio/speech`,
        { model: "kokoro", input: "Again.", voice: "af_heart", response_format: "pcm" },
        { "x-request-id": okId },
      );
      await again.arrayBuffer();
      await Bun.sleep(50);
      await gw.flushUsage();
      const dup = await s.db.db.select().from(tables.speechRequests);
      expect(dup.filter((r) => r.id.startsWith(okId)).length).toBe(2);
    } finally {
      await gw.stop();
    }
  });
});

describe("when the workers are missing", () => {
  test("voices and phonemize say so with a 503, a clear code and when to try again", async () => {
    const { Bus, MemoryTransport, createLogger, loadConfig } = await import("@kokoro-edge/runtime");
    const { createApp } = await import("../src/app");
    const { configSchema } = await import("../src/config");
    const { GatewayMetrics } = await import("../src/metrics");
    const bus = new Bus(new MemoryTransport());
    const app = createApp({
      bus,
      config: loadConfig(configSchema, {}),
      log: createLogger("t"),
      metrics: new GatewayMetrics(),
      synth: (await import("../src/pipeline/stream-options")).synthStreamOptions(
        loadConfig(configSchema, {}),
      ),
    });
    try {
      const voices = await app.fetch(new Request("http://x/v1/voices"));
      expect(voices.status).toBe(503);
      expect((await voices.json()).error.code).toBe("no_synth_worker");
      expect(voices.headers.get("retry-after")).toBe("1");
      const ph = await app.fetch(
        new Request("http://x/v1/audio/phonemize", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "Hi." }),
        }),
      );
      expect(ph.status).toBe(503);
      expect((await ph.json()).error.code).toBe("no_g2p_worker");
      expect(ph.headers.get("retry-after")).toBe("1");
      // no database is how this gateway is set up: retrying will not help, so no Retry-After
      const job = await app.fetch(
        new Request("http://x/v1/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "Hi." }),
        }),
      );
      expect(job.status).toBe(503);
      expect((await job.json()).error.code).toBe("jobs_unavailable");
      expect(job.headers.get("retry-after")).toBeNull();
      expect((await app.fetch(new Request("http://x/v1/models"))).status).toBe(200); // needs no worker
    } finally {
      await bus.close();
    }
  });
});

describe("CORS", () => {
  test("preflight and exposed headers follow CORS_ORIGINS", async () => {
    const gw = await extraGateway({ API_KEYS_REQUIRED: "true", CORS_ORIGINS: "https://app.example" });
    try {
      const pre = await fetch(`${gw.url}/v1/audio/speech`, {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type",
        },
      });
      expect(pre.status).toBeLessThan(300); // preflight needs no key
      expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.example");
      const other = await fetch(`${gw.url}/healthz`, { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      const res = await fetch(`${gw.url}/v1/models`, { headers: { origin: "https://app.example" } });
      expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(res.headers.get("access-control-expose-headers")).toContain("x-kokoro-voice");
    } finally {
      await gw.stop();
    }
  });
});
