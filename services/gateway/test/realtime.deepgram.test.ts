/**
 * GET /v1/speak (Deepgram's protocol) with a real WebSocket client from npm,
 * on the one-process stack with the fixture model: text at LLM pace, audio
 * decoded token for token against a one-shot /v1/audio/speech, barge-in,
 * many turns, auth, encodings and bad input.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import type { Stack } from "../../stack";
import { createKey } from "../src/auth/keys";
import type { GatewayService } from "../src";
import { decodeG711 } from "../src/realtime/g711";
import { Resampler } from "../src/realtime/resample";
import { extraGateway, json, sharedStack } from "./api.stack";
import { TestSocket, int16, llmTokens, paced } from "./realtime.client";

const TEXT =
  "Hello there, this is a streamed answer. It arrives token by token, at the pace of a language model! Does it sound the same? It should, Dr. Smith: 3.5 percent of 1,200 is 42.";

let s: Stack;
let wsBase: string;
beforeAll(async () => {
  s = await sharedStack();
  wsBase = s.url.replace(/^http/, "ws");
});

/** Kokoro's word separator (" "), which a chunk does not start or end with: phrase cuts drop it as chunk cuts do. */
const SPACE = 16;
/** Decoded tokens without separators: the phonemes, in order. */
const phonemesOf = (pcm: Int16Array, sampleRate = 24000) =>
  decodeTokens(pcm, { sampleRate }).tokens.filter((t) => t !== SPACE);

async function oneShotPcm(text: string, voice = "af_heart"): Promise<Int16Array> {
  const res = await json(`${s.url}/v1/audio/speech`, {
    model: "kokoro",
    voice,
    input: text,
    response_format: "pcm",
  });
  expect(res.status).toBe(200);
  return int16(Buffer.from(await res.arrayBuffer()));
}

describe("GET /v1/speak", () => {
  test("tokens at 30/s: Metadata, audio, Timestamps, Flushed; decoded tokens equal a one-shot request", async () => {
    const ws = await TestSocket.open(`${wsBase}/v1/speak?model=af_heart`);
    await paced(llmTokens(TEXT), 30, (t) => ws.send({ type: "Speak", text: t }));
    const sentAt = performance.now();
    ws.send({ type: "Flush" });
    await ws.waitJson("Flushed");
    expect(ws.received[0]!.kind).toBe("json");
    expect(ws.json()[0]!.type).toBe("Metadata");
    expect(ws.json("Flushed")).toEqual([{ type: "Flushed", sequence_id: 0 }]);
    // Speech started long before the end of the text.
    const firstAudio = ws.received.find((r) => r.kind === "audio")!;
    expect(firstAudio.at).toBeLessThan(sentAt);
    const got = phonemesOf(int16(ws.audioAfter()));
    const want = phonemesOf(await oneShotPcm(TEXT));
    expect(got.length).toBeGreaterThan(50);
    expect(got).toEqual(want);
    const words = ws.json("Timestamps").flatMap(
      (m) =>
        m.words as Array<{
          word: string;
          start: number;
          end: number;
          char_start: number;
          char_end: number;
        }>,
    );
    expect(words.length).toBeGreaterThan(20);
    let last = 0;
    for (const w of words) {
      expect(TEXT.slice(w.char_start, w.char_end)).toBe(w.word);
      expect(w.start).toBeGreaterThanOrEqual(last - 1e-3);
      last = w.end;
    }
    ws.send({ type: "Close" });
    expect((await ws.closed).code).toBe(1000);
  });

  test("Clear stops the audio at once and drops the buffered text; the next turn on the same socket works", async () => {
    const ws = await TestSocket.open(`${wsBase}/v1/speak`);
    const long = Array.from(
      { length: 12 },
      (_, i) => `Sentence number ${i + 1} goes on for a while to make some audio.`,
    ).join(" ");
    ws.send({ type: "Speak", text: long });
    ws.send({ type: "Speak", text: " and this part is still buffered" });
    await ws.waitFor((r) => r.kind === "audio");
    const clearAt = performance.now();
    ws.send({ type: "Clear" });
    const ci = await ws.waitJson("Cleared");
    const clearedAfterMs = ws.received[ci]!.at - clearAt;
    expect(clearedAfterMs).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 700)); // longer than the idle flush: the buffered text must not come back
    expect(ws.received.slice(ci).filter((r) => r.kind === "audio").length).toBe(0);
    // Turn two, three, four on the same socket.
    for (let turn = 0; turn < 3; turn++) {
      const from = ws.received.length;
      const text = `Turn ${turn + 2} is short. It ends here.`;
      await paced(llmTokens(text), 40, (t) => ws.send({ type: "Speak", text: t }));
      ws.send({ type: "Flush" });
      await ws.waitFor((r) => r.kind === "json" && r.msg.type === "Flushed", 20_000, from);
      expect(phonemesOf(int16(ws.audioAfter(from)))).toEqual(phonemesOf(await oneShotPcm(text)));
    }
    expect(ws.json("Flushed").map((m) => m.sequence_id)).toEqual([0, 1, 2]);
    ws.ws.close();
  });

  test("the idle flush speaks text that never got a phrase end", async () => {
    const ws = await TestSocket.open(`${wsBase}/v1/speak`);
    ws.send({ type: "Speak", text: "no punctuation at all" });
    await ws.waitFor((r) => r.kind === "audio", 5_000);
    ws.ws.close();
  });

  for (const [query, rate, law] of [
    ["encoding=linear16&sample_rate=16000", 16000, undefined],
    ["encoding=linear16&sample_rate=48000", 48000, undefined],
    ["encoding=mulaw", 8000, "mulaw"],
    ["encoding=alaw&sample_rate=8000", 8000, "alaw"],
  ] as const) {
    test(`${query}: resampled properly`, async () => {
      const text = "Telephony wants eight kilohertz. Browsers want forty eight.";
      const speak = async (q: string) => {
        const ws = await TestSocket.open(`${wsBase}/v1/speak?${q}`);
        ws.send({ type: "Speak", text });
        ws.send({ type: "Flush" });
        await ws.waitJson("Flushed");
        ws.ws.close();
        return ws.audioAfter();
      };
      const bytes = await speak(query);
      const pcm = law ? decodeG711(bytes, law) : int16(bytes);
      const ref = int16(await speak("encoding=linear16&sample_rate=24000"));
      // The same length in time, within the filter's few samples.
      expect(Math.abs(pcm.length - (ref.length * rate) / 24000)).toBeLessThan(rate / 100);
      if (rate >= 16000)
        expect(decodeTokens(pcm, { sampleRate: rate }).tokens).toEqual(decodeTokens(ref).tokens);
      else {
        // 8 kHz cannot carry the fixture's tones above 4 kHz: compare with the reference resampled offline.
        const want = new Resampler(24000, 8000);
        const exp = Int16Array.from([...want.push(ref), ...want.end()]);
        let err = 0;
        let sig = 0;
        const n = Math.min(exp.length, pcm.length);
        for (let i = 0; i < n; i++) {
          err += (pcm[i]! - exp[i]!) ** 2;
          sig += exp[i]! ** 2;
        }
        expect(10 * Math.log10(sig / err)).toBeGreaterThan(25); // G.711's quantisation is ~35 dB
      }
    });
  }

  test("a bad query is a 400 at the handshake; a plain GET is told to use a WebSocket", async () => {
    await expect(TestSocket.open(`${wsBase}/v1/speak?encoding=mulaw&sample_rate=48000`)).rejects.toThrow(
      "HTTP 400",
    );
    await expect(TestSocket.open(`${wsBase}/v1/speak?encoding=opus`)).rejects.toThrow("HTTP 400");
    const res = await fetch(`${s.url}/v1/speak`);
    expect(res.status).toBe(426);
    expect((await res.json()).error.code).toBe("websocket_required");
  });

  test("bad input: non-JSON, unknown types, binary, 1 MB messages, text after Close", async () => {
    const ws = await TestSocket.open(`${wsBase}/v1/speak`);
    ws.send("not json");
    ws.send({ type: "Shout", text: "x" });
    ws.send({ type: "Speak" });
    ws.ws.send(Buffer.from([1, 2, 3]));
    ws.send({ type: "Speak", text: "x".repeat(20_000) });
    await ws.waitFor(() => ws.json("Warning").length >= 5);
    expect(ws.json("Warning").map((w) => w.code)).toEqual([
      "INVALID_JSON",
      "UNKNOWN_MESSAGE_TYPE",
      "INVALID_MESSAGE",
      "BINARY_NOT_SUPPORTED",
      "TEXT_TOO_LONG",
    ]);
    ws.send({ type: "Speak", text: "Still alive." });
    ws.send({ type: "Close" });
    ws.send({ type: "Speak", text: "Too late." });
    const closed = await ws.closed;
    expect(closed.code).toBe(1000);
    expect(ws.json("Warning").at(-1)!.code).toBe("CLOSING");
    expect(phonemesOf(int16(ws.audioAfter()))).toEqual(phonemesOf(await oneShotPcm("Still alive.")));

    const big = await TestSocket.open(`${wsBase}/v1/speak`);
    big.send({ type: "Speak", text: "y".repeat(1_100_000) });
    expect((await big.closed).code).toBe(1009);
  });
});

describe("GET /v1/speak with API keys required", () => {
  let gw: GatewayService;
  let key: string;
  beforeAll(async () => {
    gw = await extraGateway({
      API_KEYS_REQUIRED: "true",
      RATE_LIMIT_RPM: "0",
      REALTIME_MAX_SOCKETS_PER_KEY: "2",
      REALTIME_CHARS_PER_MINUTE: "200",
    });
    key = (await createKey(s.db.db, { name: "realtime agent" })).key;
  });
  afterAll(() => gw?.stop());

  test("Token, Bearer and the browser's subprotocol form are accepted; none or a wrong key is a 401", async () => {
    const url = `${gw.url.replace(/^http/, "ws")}/v1/speak`;
    await expect(TestSocket.open(url)).rejects.toThrow("HTTP 401");
    await expect(TestSocket.open(url, { headers: { authorization: "Token ke_wrong" } })).rejects.toThrow(
      "HTTP 401",
    );
    await expect(TestSocket.open(url, { protocols: ["token", "ke_wrong"] })).rejects.toThrow("HTTP 401");
    for (const opts of [
      { headers: { authorization: `Token ${key}` } },
      { headers: { authorization: `Bearer ${key}` } },
      { protocols: ["token", key] },
    ]) {
      const ws = await TestSocket.open(url, opts);
      if (opts.protocols) expect(ws.ws.protocol).toBe("token");
      await ws.waitJson("Metadata");
      ws.ws.close();
      await ws.closed;
    }
  });

  test("a third socket for the same key is closed with 1008 and a reason; the text rate closes with 1008", async () => {
    const url = `${gw.url.replace(/^http/, "ws")}/v1/speak`;
    const headers = { authorization: `Token ${key}` };
    const a = await TestSocket.open(url, { headers });
    const b = await TestSocket.open(url, { headers });
    const c = await TestSocket.open(url, { headers });
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain("too many sockets");
    b.ws.close();
    await b.closed;
    a.send({ type: "Speak", text: "z ".repeat(150) });
    a.send({ type: "Speak", text: "z ".repeat(150) });
    const ca = await a.closed;
    expect(ca.code).toBe(1008);
    expect(ca.reason).toContain("text rate");
  });
});
