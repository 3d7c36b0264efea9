/**
 * GET /v1/text-to-speech/{voice_id}/stream-input (ElevenLabs' protocol) with
 * the `ws` client: settings first, text at LLM pace, "" to end; audio as
 * base64 with character alignment, then isFinal and a normal close. The key
 * in the first message when keys are required. (ElevenLabs' JS SDK,
 * @elevenlabs/elevenlabs-js 2.73, has no client for this socket: only its
 * speech-to-text and agent sockets. So only the generic client is used.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import type { Stack } from "../../stack";
import { createKey } from "../src/auth/keys";
import type { GatewayService } from "../src";
import { parseOutputFormat } from "../src/realtime/elevenlabs";
import { extraGateway, json, sharedStack } from "./api.stack";
import { TestSocket, int16, llmTokens, paced } from "./realtime.client";

const TEXT =
  "Hi! I am answering as the model writes, one token at a time. The audio comes back in pieces, with timings for every character.";
const SPACE = 16;
const phonemesOf = (pcm: Int16Array) => decodeTokens(pcm).tokens.filter((t) => t !== SPACE);

let s: Stack;
let wsBase: string;
beforeAll(async () => {
  s = await sharedStack();
  wsBase = s.url.replace(/^http/, "ws");
});

type Reply = {
  audio?: string;
  isFinal?: boolean | null;
  alignment?: { chars: string[]; charStartTimesMs: number[]; charDurationsMs: number[] } | null;
  error?: string;
  message?: string;
};
const replies = (ws: TestSocket) => ws.json() as Reply[];
const audioOf = (ws: TestSocket) =>
  Buffer.concat(
    replies(ws)
      .filter((r) => r.audio)
      .map((r) => Buffer.from(r.audio!, "base64")),
  );

describe("stream-input", () => {
  test("pcm_24000 at 30 tokens/s: audio with alignment, isFinal, close 1000; decoded tokens equal one-shot", async () => {
    const ws = await TestSocket.open(
      `${wsBase}/v1/text-to-speech/af_heart/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_24000`,
    );
    ws.send({
      text: " ",
      voice_settings: { stability: 0.5, similarity_boost: 0.8 },
      generation_config: { chunk_length_schedule: [120, 160, 250, 290] },
    });
    await paced(llmTokens(TEXT), 30, (t) => ws.send({ text: t }));
    const endAt = performance.now();
    ws.send({ text: "" });
    expect((await ws.closed).code).toBe(1000);
    const all = replies(ws);
    expect(all.at(-1)).toEqual({ isFinal: true });
    const firstAudio = ws.received.find((r) => r.kind === "json" && (r.msg as Reply).audio)!;
    expect(firstAudio.at).toBeLessThan(endAt); // speech began before the text was finished
    const oneShot = await json(`${s.url}/v1/audio/speech`, {
      model: "kokoro",
      voice: "af_heart",
      input: TEXT,
      response_format: "pcm",
    });
    expect(phonemesOf(int16(audioOf(ws)))).toEqual(
      phonemesOf(int16(Buffer.from(await oneShot.arrayBuffer()))),
    );
    const aligned = all.filter((r) => r.alignment);
    expect(aligned.length).toBeGreaterThan(0);
    const chars = aligned.flatMap((r) => r.alignment!.chars).join("");
    expect(chars.replace(/\s+/g, " ")).toBe(TEXT.replace(/\s+/g, " ").trim());
    const starts = aligned.flatMap((r) => r.alignment!.charStartTimesMs);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThanOrEqual(starts[i - 1]!);
    for (const r of aligned) expect(r.alignment!.charDurationsMs.length).toBe(r.alignment!.chars.length);
  });

  test("flush: true speaks what is buffered without ending the stream", async () => {
    const ws = await TestSocket.open(
      `${wsBase}/v1/text-to-speech/af_heart/stream-input?output_format=pcm_16000`,
    );
    ws.send({ text: " " });
    ws.send({ text: "no sentence end here", flush: true });
    await ws.waitFor((r) => r.kind === "json" && !!(r.msg as Reply).audio, 3000);
    ws.send({ text: "" });
    await ws.closed;
    expect(decodeTokens(int16(audioOf(ws)), { sampleRate: 16000 }).tokens.length).toBeGreaterThan(5);
  });

  test("mp3_44100_128 is MP3 at 44.1 kHz; ulaw_8000 is one byte a sample", async () => {
    const run = async (fmt: string) => {
      const ws = await TestSocket.open(
        `${wsBase}/v1/text-to-speech/af_heart/stream-input?output_format=${fmt}`,
      );
      ws.send({ text: " " });
      ws.send({ text: "A short test sentence. " });
      ws.send({ text: "" });
      await ws.closed;
      return audioOf(ws);
    };
    const mp3 = await run("mp3_44100_128");
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1]! & 0xe0).toBe(0xe0);
    expect((mp3[2]! >> 2) & 3).toBe(0); // MPEG-1 sampling index 0 = 44100 Hz
    expect(mp3[2]! >> 4).toBe(0b1001); // bitrate index 9 = 128 kbps
    const pcm = await run("pcm_24000");
    const ulaw = await run("ulaw_8000");
    expect(Math.abs(ulaw.length - pcm.length / 2 / 3)).toBeLessThan(100);
    expect(parseOutputFormat("pcm_11025")).toBeUndefined();
  });

  test("bad output_format is a 400; bad messages get errors and the socket stays usable", async () => {
    await expect(
      TestSocket.open(`${wsBase}/v1/text-to-speech/af_heart/stream-input?output_format=opus_48000`),
    ).rejects.toThrow("HTTP 400");
    const ws = await TestSocket.open(
      `${wsBase}/v1/text-to-speech/af_heart/stream-input?output_format=pcm_24000`,
    );
    ws.send({ text: " " });
    ws.send("{oops");
    ws.send({ nope: 1 });
    ws.send({ text: "Fine now. " });
    ws.send({ text: "" });
    ws.send({ text: "late" });
    await ws.closed;
    const errors = replies(ws)
      .filter((r) => r.error)
      .map((r) => r.error);
    expect(errors.slice(0, 2)).toEqual(["invalid_json", "invalid_message"]);
    expect(audioOf(ws).length).toBeGreaterThan(1000);
  });
});

describe("stream-input with API keys required", () => {
  let gw: GatewayService;
  let key: string;
  beforeAll(async () => {
    gw = await extraGateway({ API_KEYS_REQUIRED: "true", RATE_LIMIT_RPM: "0" });
    key = (await createKey(s.db.db, { name: "eleven agent" })).key;
  });
  afterAll(() => gw?.stop());

  test("xi_api_key in the first message, or the xi-api-key header; none or a wrong one closes with 1008 and says why", async () => {
    const url = `${gw.url.replace(/^http/, "ws")}/v1/text-to-speech/af_heart/stream-input?output_format=pcm_24000`;
    for (const [first, code] of [
      [{ text: " " }, "missing_api_key"],
      [{ text: " ", xi_api_key: "ke_wrong" }, "invalid_api_key"],
    ] as const) {
      const ws = await TestSocket.open(url);
      ws.send(first);
      const closed = await ws.closed;
      expect(closed.code).toBe(1008);
      expect(replies(ws)[0]!.error).toBe(code);
    }
    const good = await TestSocket.open(url);
    good.send({ text: " ", xi_api_key: key });
    good.send({ text: "Authorised. " }); // sent before the key was checked: kept in order
    good.send({ text: "" });
    expect((await good.closed).code).toBe(1000);
    expect(audioOf(good).length).toBeGreaterThan(1000);
    const header = await TestSocket.open(url, { headers: { "xi-api-key": key } });
    header.send({ text: " " });
    header.send({ text: "Header. " });
    header.send({ text: "" });
    expect((await header.closed).code).toBe(1000);
    await expect(TestSocket.open(url, { headers: { "xi-api-key": "ke_wrong" } })).rejects.toThrow("HTTP 401");
  });
});
