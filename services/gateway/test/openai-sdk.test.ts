/**
 * The official `openai` npm package, unchanged, against the real stack:
 * audio.speech.create for every format (aac: the clear 400), streaming with
 * stream_format "sse" parsed with eventsource-parser, errors and keys.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import type { Stack } from "../../stack";
import { createKey } from "../src/auth/keys";
import type { GatewayService } from "../src";
import { extraGateway, sharedStack } from "./api.stack";

const TEXT = "The OpenAI client works unchanged. It streams speech, word by word, as it is made.";

let s: Stack;
let client: OpenAI;
beforeAll(async () => {
  s = await sharedStack();
  client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "sk-anything-works-in-open-mode", maxRetries: 0 });
});

/** Where each format's bytes start: what a player sniffs. */
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  mp3: (b) => b[0] === 0xff && (b[1]! & 0xe0) === 0xe0,
  opus: (b) => b.subarray(0, 4).toString("latin1") === "OggS" && b.indexOf("OpusHead") > 0,
  flac: (b) => b.subarray(0, 4).toString("latin1") === "fLaC",
  wav: (b) =>
    b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WAVE",
  pcm: (b) => b.length % 2 === 0,
};

async function g2pTokens(text: string, voice: string): Promise<number[]> {
  const r = await fetch(`${s.url}/v1/audio/phonemize`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input: text, voice }),
  });
  return (await r.json()).tokens;
}

describe("openai SDK: audio.speech.create", () => {
  for (const format of ["mp3", "opus", "flac", "wav", "pcm"] as const) {
    test(`${format}`, async () => {
      const res = await client.audio.speech.create({
        model: "tts-1",
        voice: "alloy",
        input: TEXT,
        response_format: format,
      });
      expect(res.headers.get("x-kokoro-voice")).toBe("af_alloy");
      expect(res.headers.get("x-kokoro-engine")).toBe("fixture");
      expect(res.headers.get("x-kokoro-model-version")).toBeTruthy();
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1000);
      expect(MAGIC[format]!(bytes)).toBe(true);
      if (format === "pcm")
        expect(decodeTokens(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)).tokens).toEqual(
          await g2pTokens(TEXT, "af_alloy"),
        );
    });
  }

  test("every model name and the default format (mp3); instructions are accepted", async () => {
    for (const model of ["kokoro", "tts-1-hd", "gpt-4o-mini-tts"]) {
      const res = await client.audio.speech.create({
        model,
        voice: "af_heart",
        input: "Hi.",
        instructions: "Speak cheerfully.",
      });
      expect(res.headers.get("content-type")).toBe("audio/mpeg");
      expect(MAGIC.mp3!(Buffer.from(await res.arrayBuffer()))).toBe(true);
    }
  });

  test("aac: a clear 400 the SDK surfaces as BadRequestError, naming the formats that work", async () => {
    const err = await client.audio.speech
      .create({ model: "tts-1", voice: "alloy", input: TEXT, response_format: "aac" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.code).toBeTruthy();
    expect(err.param).toBe("response_format");
    expect(err.message).toContain("mp3");
    expect(err.message).toContain("opus");
  });

  test("user mistakes come back as the SDK's typed errors with our codes", async () => {
    const voice = await client.audio.speech
      .create({ model: "tts-1", voice: "af_nobody", input: "Hi." })
      .catch((e) => e);
    expect(voice).toBeInstanceOf(OpenAI.BadRequestError);
    expect(voice.code).toBe("unknown_voice");
    const model = await client.audio.speech
      .create({ model: "whisper-1", voice: "alloy", input: "Hi." })
      .catch((e) => e);
    expect(model).toBeInstanceOf(OpenAI.BadRequestError);
    expect(model.param).toBe("model");
    const long = await client.audio.speech
      .create({ model: "tts-1", voice: "alloy", input: "a".repeat(10_001) })
      .catch((e) => e);
    expect(long.code).toBe("input_too_long");
  });

  test("models.list works too", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"]);
  });
});

describe("openai SDK: stream_format sse", () => {
  test("delta events carry the audio, timestamps the words with their spans, done the usage", async () => {
    const res = await client.audio.speech.create({
      model: "gpt-4o-mini-tts",
      voice: "af_heart",
      input: TEXT,
      response_format: "pcm",
      stream_format: "sse",
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    const decoder = new TextDecoder();
    for await (const piece of res.body! as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(piece, { stream: true }));
    const data = events.map((e) => JSON.parse(e.data));
    const types = data.map((d) => d.type);
    expect(types.at(-1)).toBe("speech.audio.done");
    expect(types.filter((t) => t === "speech.audio.done").length).toBe(1);
    expect(types.filter((t) => t === "speech.audio.delta").length).toBeGreaterThan(1);
    expect(
      types.every((t) => ["speech.audio.delta", "speech.audio.timestamps", "speech.audio.done"].includes(t)),
    ).toBe(true);

    const audio = Buffer.concat(
      data.filter((d) => d.type === "speech.audio.delta").map((d) => Buffer.from(d.audio, "base64")),
    );
    const pcm = new Int16Array(audio.buffer, audio.byteOffset, audio.length / 2);
    expect(decodeTokens(pcm).tokens).toEqual(await g2pTokens(TEXT, "af_heart"));
    // The same bytes as the plain audio stream.
    const plain = Buffer.from(
      await (
        await client.audio.speech.create({
          model: "tts-1",
          voice: "af_heart",
          input: TEXT,
          response_format: "pcm",
        })
      ).arrayBuffer(),
    );
    expect(audio.equals(plain)).toBe(true);

    const words = data.filter((d) => d.type === "speech.audio.timestamps").flatMap((d) => d.words);
    expect(words.length).toBeGreaterThan(10);
    let lastEnd = 0;
    for (const w of words) {
      expect(TEXT.slice(w.start, w.end)).toBe(w.text);
      expect(w.end_s).toBeGreaterThan(w.start_s);
      expect(w.start_s).toBeGreaterThanOrEqual(lastEnd - 1e-6);
      lastEnd = w.end_s;
    }
    expect(words.map((w: { text: string }) => w.text)).toContain("word,");
    expect(lastEnd).toBeLessThanOrEqual(pcm.length / 24000 + 1e-6);

    const usage = data.at(-1).usage;
    expect(usage.input_tokens).toBe((await g2pTokens(TEXT, "af_heart")).length);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  });

  test("sse with an encoded format: the deltas join into one valid stream (one header)", async () => {
    const res = await client.audio.speech.create({
      model: "tts-1",
      voice: "af_heart",
      input: TEXT,
      response_format: "wav",
      stream_format: "sse",
    });
    const chunks: Buffer[] = [];
    const parser = createParser({
      onEvent: (e) => {
        const d = JSON.parse(e.data);
        if (d.type === "speech.audio.delta") chunks.push(Buffer.from(d.audio, "base64"));
      },
    });
    parser.feed(await res.text());
    const wav = Buffer.concat(chunks);
    expect(MAGIC.wav!(wav)).toBe(true);
    expect(wav.indexOf("RIFF", 4)).toBe(-1);
    expect(chunks.length).toBeGreaterThan(1);
  });
});

describe("openai SDK with API keys", () => {
  let gw: GatewayService;
  beforeAll(async () => {
    gw = await extraGateway({ API_KEYS_REQUIRED: "true" });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  test("a valid key works; a wrong one is an AuthenticationError", async () => {
    const k = await createKey(s.db.db, { name: "sdk" });
    const ok = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: k.key, maxRetries: 0 });
    const res = await ok.audio.speech.create({
      model: "tts-1",
      voice: "nova",
      input: "Authorised.",
      response_format: "wav",
    });
    expect(MAGIC.wav!(Buffer.from(await res.arrayBuffer()))).toBe(true);
    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
    const err = await bad.audio.speech
      .create({ model: "tts-1", voice: "nova", input: "No." })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe("invalid_api_key");
  });

  test("over the rate limit: the SDK's RateLimitError, with Retry-After", async () => {
    const k = await createKey(s.db.db, { name: "sdk-limited", rateLimitPerMinute: 1 });
    const c = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: k.key, maxRetries: 0 });
    await c.models.list();
    const err = await c.models.list().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe("rate_limit_exceeded");
    expect(Number(err.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
