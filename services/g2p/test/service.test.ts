/** The service on a real bus (in-process and NATS): requests get valid G2pResults, user mistakes get 4xx. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { z } from "zod";
import { contracts, G2pChunk, G2pRequest, G2pResult, MISAKI_REPO } from "@kokoro-edge/proto";
import {
  Bus,
  MemoryTransport,
  NatsTransport,
  createLogger,
  decodeJson,
  loadConfig,
  setLogLevel,
  StreamRejected,
} from "@kokoro-edge/runtime";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { g2pConfig } from "../src/config";
import { resultFromChunks } from "../src/response";
import { startG2p, type G2pService } from "../src/service";
import { KOKORO_CONFIG, LEXICON_DIR } from "./shared";

setLogLevel("warn");
const log = createLogger("g2p-test");

function config(extra: Record<string, string> = {}) {
  return loadConfig(g2pConfig, {
    LEXICON_DIR,
    KOKORO_CONFIG,
    LOG_LEVEL: "warn",
    G2P_ESPEAK: "true",
    ...extra,
  });
}

/** Checks every invariant of a result against its input. */
export function checkResult(r: G2pResult, input: string) {
  expect(G2pResult.safeParse(r).success).toBe(true);
  let lastEnd = 0;
  r.chunks.forEach((c, i) => {
    expect(c.index).toBe(i);
    expect(c.tokens.length).toBeLessThanOrEqual(510);
    expect(c.tokens).not.toContain(0);
    expect(c.text).toBe(input.slice(c.start, c.end));
    for (const w of c.words) {
      expect(w.start).toBeGreaterThanOrEqual(lastEnd);
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.text).toBe(input.slice(w.start, w.end));
      expect(w.token_end - w.token_start).toBe(w.phonemes.length);
      lastEnd = w.end;
    }
  });
}

function suite(name: string, makeBus: () => Promise<[Bus, Bus]>) {
  describe(`g2p service (${name})`, () => {
    let server: Bus;
    let client: Bus;
    let g2p: G2pService;
    beforeAll(async () => {
      [server, client] = await makeBus();
      g2p = await startG2p({ bus: server, log, config: config() });
      await g2p.ready();
    });
    afterAll(async () => {
      await g2p.stop();
      await client.close();
      if (client !== server) await server.close();
    });

    const ask = (body: z.input<typeof G2pRequest>) =>
      client.requestJson(contracts.g2p.phonemize, body, { timeoutMs: 20_000 });

    test("a request gets a valid G2pResult", async () => {
      const text = "Hello, world! Dr. Smith paid $5.30 for 3,497 apples on Dec. 5th.";
      const r = await ask({ v: 1, text, voice: "af_heart" });
      if ("error" in r) throw new Error(r.error.message);
      checkResult(r, text);
      expect(r.language).toBe("en-us");
      expect(r.normalized).toContain("five dollars and thirty cents");
      expect(r.normalized).toContain("three thousand four hundred ninety-seven");
      expect(r.normalized.toLowerCase()).toContain("doctor smith");
      expect(r.phonemes).toContain("həlˈO");
      const words = r.chunks.flatMap((c) => c.words);
      expect(words.find((w) => w.text.startsWith("$5.30"))?.normalized).toBe("five dollars and thirty cents");
    });

    test("hostile text: a word and 600 commas, alternating marks, is spoken in valid chunks (never past 510 tokens)", async () => {
      for (const text of [
        `word${",".repeat(600)}`,
        `wait${",.".repeat(300)} then`,
        `no${"?!".repeat(400)}`,
      ]) {
        const r = await ask({ v: 1, text, voice: "af_heart" });
        if ("error" in r) throw new Error(`${text.slice(0, 12)}: ${r.error.message}`);
        checkResult(r, text);
        expect(r.chunks.reduce((n, c) => n + c.tokens.length, 0)).toBeLessThan(40); // the run of marks is not read out mark by mark
      }
    });

    test("a language that is a property of every object is not a language", async () => {
      for (const language of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
        const r = await ask({ v: 1, text: "Hello.", language });
        expect("error" in r && r.error).toMatchObject({ status: 400, code: "unsupported_language" });
      }
      const r = await ask({ v: 1, text: "Hello.", voice: "_proto_voice" });
      expect("error" in r && r.error.status).toBe(400);
    });

    test("voice prefix b and language en-gb pick British English", async () => {
      const a = await ask({ v: 1, text: "The water is hot.", voice: "bf_emma" });
      const b = await ask({ v: 1, text: "The water is hot.", language: "en-gb" });
      if ("error" in a || "error" in b) throw new Error("unexpected error");
      expect(a.language).toBe("en-gb");
      expect(a.phonemes).toBe(b.phonemes);
      expect(a.phonemes).toContain("wˈɔːtə");
    });

    test("user mistakes are 400s with clear codes", async () => {
      const empty = await ask({ v: 1, text: "   \n " });
      expect("error" in empty && empty.error).toMatchObject({ status: 400, code: "empty_input" });
      const lang = await ask({ v: 1, text: "Guten Tag", language: "de" });
      expect("error" in lang && lang.error).toMatchObject({ status: 400, code: "unsupported_language" });
      expect("error" in lang && lang.error.message).toContain(
        "en-us, en-gb, es, fr-fr, hi, it, pt-br, ja, zh",
      );
      const voice = await ask({ v: 1, text: "Hallo", voice: "xx_nobody" });
      expect("error" in voice && voice.error).toMatchObject({ status: 400, code: "unsupported_language" });
      expect("error" in voice && voice.error.message).toContain('pass "language"');
      const emoji = await ask({ v: 1, text: "🎉🎉 !!" });
      expect("error" in emoji && emoji.error).toMatchObject({ status: 400, code: "no_speakable_text" });
      const bad = await ask({ v: 1, text: "kokoro", pronunciations: { kokoro: "k0k0r0" } });
      expect("error" in bad && bad.error).toMatchObject({ status: 400, code: "invalid_pronunciation" });
      const invalid = await ask({ v: 1 } as z.input<typeof G2pRequest>); // a bad body on purpose
      expect("error" in invalid && invalid.error).toMatchObject({ status: 400, code: "invalid_request" });
    });

    test("a result too big for one message is a 413 pointing at the streamed form", async () => {
      const text = "On Dec. 5th, Dr. Smith paid $5.30 for 3,497 apples. ".repeat(1500);
      const r = await ask({ v: 1, text });
      expect("error" in r && r.error).toMatchObject({ status: 413, code: "result_too_large" });
      expect("error" in r && r.error.message).toContain(contracts.g2p.stream.subject);
    });

    test("status says what is loaded", async () => {
      const s = await client.requestJson(contracts.g2p.status, { v: 1 });
      expect(s.ready).toBe(true);
      expect(s.service).toBe("g2p");
      expect(s.detail).toContain("us_gold.json");
    });

    test("the streamed form sends chunks in order, then an end", async () => {
      const text = Array.from(
        { length: 40 },
        (_, i) => `Sentence number ${i + 1} is here, and it is fine.`,
      ).join(" ");
      const reader = await client.openStream(contracts.g2p.stream, { v: 1, text }, { credit: 2 });
      expect(decodeJson(reader.accepted.data)).toEqual({ v: 1, language: "en-us" });
      const chunks: G2pChunk[] = [];
      for await (const m of reader) chunks.push(G2pChunk.parse(decodeJson(m.data)));
      expect(chunks.length).toBeGreaterThan(3);
      chunks.forEach((c, i) => expect(c.index).toBe(i));
      expect(chunks[0]!.tokens.length).toBeLessThanOrEqual(60);
      expect(decodeJson(reader.end!.data)).toEqual({ v: 1, language: "en-us", chunks: chunks.length });
      const whole = await ask({ v: 1, text });
      if ("error" in whole) throw new Error(whole.error.message);
      expect(resultFromChunks("en-us", chunks)).toEqual(whole);
    });

    test("the streamed form rejects bad input before accepting", async () => {
      const err = await client.openStream(contracts.g2p.stream, { v: 1, text: "" }).catch((e) => e);
      expect(err).toBeInstanceOf(StreamRejected);
      expect((err as StreamRejected).error).toMatchObject({ status: 400, code: "empty_input" });
    });
  });
}

suite("in-process", async () => {
  const t = new MemoryTransport();
  return [new Bus(t), new Bus(t)];
});

if (await haveNats()) {
  suite("NATS", async () => [
    new Bus(await NatsTransport.connect(TEST_NATS_URL, "g2p-test-server")),
    new Bus(await NatsTransport.connect(TEST_NATS_URL, "g2p-test-client")),
  ]);
}

describe("vocab from the model mirror", () => {
  const until = async (what: string, ok: () => boolean, ms = 10_000) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await Bun.sleep(20);
    }
  };

  test("reads tokenizer.json ({model: {vocab}}, the ONNX export's layout, whose config.json has no vocab)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "g2p-mirror-"));
    const vocab = JSON.parse(await readFile(KOKORO_CONFIG, "utf8")).vocab;
    await writeFile(join(dir, "config.json"), JSON.stringify({ model_type: "style_text_to_speech_2" }));
    await writeFile(join(dir, "tokenizer.json"), JSON.stringify({ model: { vocab: { $: 0, ...vocab } } }));
    const bus = new Bus(new MemoryTransport());
    const asked: string[] = [];
    const mirror = bus.serveJson(contracts.mirror.lookup, (req) => {
      asked.push(req.path);
      if (req.repo === MISAKI_REPO)
        return { v: 1 as const, error: { code: "repo_not_found", message: "not mirrored", status: 404 } };
      return {
        v: 1 as const,
        files: [
          {
            repo: "onnx-community/Kokoro-82M-v1.0-ONNX",
            revision: "main",
            commit: "1".repeat(40),
            path: req.path,
            size: 1,
            sha256: "0".repeat(64),
            local_path: join(dir, req.path),
          },
        ],
      };
    });
    const g2p = await startG2p({ bus, log, config: config({ KOKORO_CONFIG: "", G2P_ESPEAK: "false" }) });
    try {
      await g2p.ready();
      await until("the mirror's vocab", () => g2p.status().detail.includes("tokenizer.json"));
      expect(asked[0]).toBe("tokenizer.json");
      expect(asked).not.toContain("config.json");
      const r = await bus.requestJson(contracts.g2p.phonemize, { v: 1, text: "Hello." });
      expect("error" in r).toBe(false);
      if (!("error" in r)) expect(r.chunks[0]!.tokens.length).toBe("həlˈO.".length);
    } finally {
      mirror.unsubscribe();
      await g2p.stop();
      await bus.close();
    }
  });

  test("with no mirror it phonemizes at once with Kokoro v1.0's built-in vocab, and takes the mirror's when one answers", async () => {
    const bus = new Bus(new MemoryTransport());
    const g2p = await startG2p({
      bus,
      log,
      config: config({ KOKORO_CONFIG: "", G2P_MIRROR_RETRY_MS: "100", G2P_ESPEAK: "false" }),
    });
    try {
      await g2p.ready();
      const before = await bus.requestJson(contracts.g2p.phonemize, { v: 1, text: "Hello." });
      expect("error" in before).toBe(false);
      expect(g2p.status().ready).toBe(true);
      expect(g2p.status().detail).toContain("Kokoro v1.0's built-in vocab");
      // the mirror comes up (a responder speaking the mirror's contract, pointing at hexgrad's config.json)
      const seen: unknown[] = [];
      const mirror = bus.serveJson(contracts.mirror.lookup, (req) => {
        seen.push(req.path);
        if (req.path !== "config.json")
          return { v: 1 as const, error: { code: "file_not_found", message: `no ${req.path}`, status: 404 } };
        return {
          v: 1 as const,
          files: [
            {
              repo: "hexgrad/Kokoro-82M",
              revision: "main",
              commit: "0".repeat(40),
              path: "config.json",
              size: 1,
              sha256: "0".repeat(64),
              local_path: KOKORO_CONFIG,
            },
          ],
        };
      });
      await until("the mirror's vocab", () => g2p.status().detail.includes("mirror hexgrad/Kokoro-82M"));
      expect(seen).toContain("config.json");
      const after = await bus.requestJson(contracts.g2p.phonemize, { v: 1, text: "Hello." });
      expect("error" in after || "error" in before).toBe(false);
      if (!("error" in after) && !("error" in before))
        expect(after.chunks[0]!.tokens).toEqual(before.chunks[0]!.tokens);
      mirror.unsubscribe();
    } finally {
      await g2p.stop();
      await bus.close();
    }
  });

  test("a KOKORO_CONFIG that cannot be read is a 503 that says so (no silent fallback)", async () => {
    const bus = new Bus(new MemoryTransport());
    const g2p = await startG2p({
      bus,
      log,
      config: config({ KOKORO_CONFIG: "/nonexistent/config.json", G2P_ESPEAK: "false" }),
    });
    try {
      await until("the failure", () => g2p.status().detail.includes("KOKORO_CONFIG"));
      const r = await bus.requestJson(contracts.g2p.phonemize, { v: 1, text: "Hello." });
      expect("error" in r && r.error).toMatchObject({ status: 503, code: "model_config_unavailable" });
      expect(g2p.status().ready).toBe(false);
    } finally {
      await g2p.stop();
      await bus.close();
    }
  });
});
