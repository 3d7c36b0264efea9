/**
 * Kokoro's nine languages through the whole platform in one process (fixture model, real voice
 * packs): speech, SSE word timestamps, subtitles (a Spanish WebVTT, a Japanese SRT) with every cue
 * on time and its tokens decoded, a job, the realtime socket, phonemize warnings and the voice list.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { contracts } from "@kokoro-edge/proto";
import { fixtureStackEnv } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { startStack, type Stack } from "../../services/stack";
import { TestSocket } from "../../services/gateway/test/realtime.client";
import { pcmFromWav } from "../support/audio";
import { waitFor } from "../support/ports";
import { firstSound } from "../support/subtitles";

const espeak = spawnSync("espeak-ng", ["--version"]).status === 0;
const FRAME = 480; // 20 ms at 24 kHz
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(fixtureStackEnv("langs", { JOB_POLL_MS: "100", RATE_LIMIT_RPM: "0" }));
  await stack.ready;
}, 120_000);
afterAll(async () => stack?.stop());

const SPACE = 16; // Kokoro's token for " "
/**
 * g2p's tokens for a text, spaces left out: renderings cut a text into chunks in their own ways
 * (a chunk boundary drops the space there), and every phoneme must still be heard, in order.
 */
const tokensOf = async (text: string, voice: string) => {
  const r = await stack.bus.requestJson(contracts.g2p.phonemize, { v: 1, text, voice });
  if ("error" in r) throw new Error(r.error.message);
  return r.chunks.flatMap((c) => c.tokens).filter((t) => t !== SPACE);
};
const heard = (pcm: Int16Array) => decodeTokens(pcm).tokens.filter((t) => t !== SPACE);
const postJson = (path: string, body: unknown) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/**
 * A rendered subtitle track (WAV): each cue's speech starts at its cue time (never before, within one
 * 20 ms frame) and the audio up to the next cue carries exactly that cue's phonemes.
 */
async function expectCuesOnTime(
  res: Response,
  voice: string,
  cues: Array<{ start: number; next: number; text: string }>,
): Promise<void> {
  const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
  for (const c of cues) {
    const at = Math.round(c.start * 24000);
    expect(firstSound(pcm, at - 4 * FRAME)).toBeGreaterThanOrEqual(at);
    expect(firstSound(pcm, at) - at).toBeLessThan(FRAME);
    const slice = pcm.subarray(at, Number.isFinite(c.next) ? Math.round(c.next * 24000) : pcm.length);
    const expected = await tokensOf(c.text, voice);
    expect(expected.length).toBeGreaterThan(5);
    expect(heard(slice)).toEqual(expected);
  }
}

/** A sentence in each language, with a voice of that language. */
const SAMPLES: Array<{ voice: string; language: string; text: string }> = [
  { voice: "ef_dora", language: "es", text: "Hoy es 5 de mayo y cuesta 25 €." },
  { voice: "ff_siwis", language: "fr-fr", text: "Il est 14h30, Mme Dupont arrive." },
  { voice: "hf_alpha", language: "hi", text: "आज मौसम बहुत अच्छा है।" },
  { voice: "if_sara", language: "it", text: "Buongiorno, sono le 9:05." },
  { voice: "pf_dora", language: "pt-br", text: "Custa R$ 10,50 na padaria." },
];

(espeak ? describe : describe.skip)("speech in every language", () => {
  test("each voice speaks its language: the audio carries exactly g2p's tokens", async () => {
    for (const s of SAMPLES) {
      const res = await postJson("/v1/audio/speech", {
        model: "kokoro",
        input: s.text,
        voice: s.voice,
        response_format: "wav",
      });
      expect(res.status).toBe(200);
      const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
      expect(heard(pcm)).toEqual(await tokensOf(s.text, s.voice));
      const ph = await (await postJson("/v1/audio/phonemize", { input: s.text, voice: s.voice })).json();
      expect(ph.language).toBe(s.language);
      expect(ph.warnings).toBeUndefined();
    }
  });

  test("SSE word timestamps in Spanish carry the input's words and spans, in order", async () => {
    const text = "El Sr. García llegó a las 14:30.";
    const res = await postJson("/v1/audio/speech", {
      model: "kokoro",
      input: text,
      voice: "ef_dora",
      response_format: "pcm",
      stream_format: "sse",
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split("\n\n")
      .filter((b) => b.startsWith("data: "))
      .map((b) => JSON.parse(b.slice(6)));
    const words = events.flatMap((e) => (e.type === "speech.audio.timestamps" ? e.words : []));
    expect(words.length).toBeGreaterThan(4);
    let last = -1;
    for (const w of words) {
      expect(text.slice(w.start, w.end)).toBe(w.text);
      expect(w.start).toBeGreaterThan(last);
      last = w.start;
    }
    expect(words.map((w: { text: string }) => w.text)).toContain("García");
  });

  test("a Spanish WebVTT: every cue starts at its time, and says its own tokens", async () => {
    const vtt = [
      "WEBVTT",
      "",
      "00:00:00.500 --> 00:00:02.000",
      "¡Hola, amigos!",
      "",
      "00:00:03.000 --> 00:00:05.000",
      "Son las 9:15 de la mañana.",
      "",
      "00:00:06.250 --> 00:00:08.000",
      "<i>Cuesta 25 €</i>, ¿verdad?",
      "",
    ].join("\n");
    const res = await postJson("/v1/audio/subtitles", {
      document: vtt,
      voice: "ef_dora",
      response_format: "wav",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-kokoro-subtitle-format")).toBe("vtt");
    await expectCuesOnTime(res, "ef_dora", [
      { start: 0.5, next: 3, text: "¡Hola, amigos!" },
      { start: 3, next: 6.25, text: "Son las 9:15 de la mañana." },
      { start: 6.25, next: Infinity, text: "Cuesta 25 €, ¿verdad?" },
    ]);
  });

  test("a Japanese SRT: every cue starts at its time, and says its own tokens", async () => {
    const srt = [
      "1",
      "00:00:00,500 --> 00:00:02,500",
      "こんにちは、皆さん。",
      "",
      "2",
      "00:00:03,000 --> 00:00:05,500",
      "今日は12月5日です。",
      "",
      "3",
      "00:00:06,000 --> 00:00:08,000",
      "<i>iPhone</i>を3台買いました！",
      "",
    ].join("\r\n");
    const res = await postJson("/v1/audio/subtitles", {
      document: srt,
      voice: "jf_alpha",
      response_format: "wav",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-kokoro-subtitle-format")).toBe("srt");
    await expectCuesOnTime(res, "jf_alpha", [
      { start: 0.5, next: 3, text: "こんにちは、皆さん。" },
      { start: 3, next: 6, text: "今日は12月5日です。" },
      { start: 6, next: Infinity, text: "iPhoneを3台買いました！" },
    ]);
  });

  test("Mandarin and Japanese speech carry g2p's tokens; their SSE words keep the input's spans", async () => {
    for (const [voice, text] of [
      ["zf_xiaobei", "我今天花了¥25买了2本书。"],
      ["jm_kumo", "東京タワーは333メートルです。"],
    ] as const) {
      const res = await postJson("/v1/audio/speech", {
        model: "kokoro",
        input: text,
        voice,
        response_format: "pcm",
        stream_format: "sse",
      });
      expect(res.status).toBe(200);
      const events = (await res.text())
        .split("\n\n")
        .filter((b) => b.startsWith("data: "))
        .map((b) => JSON.parse(b.slice(6)));
      const pcm = Buffer.concat(
        events.filter((e) => e.type === "speech.audio.delta").map((e) => Buffer.from(e.audio, "base64")),
      );
      expect(heard(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2))).toEqual(
        await tokensOf(text, voice),
      );
      const words = events.flatMap((e) => (e.type === "speech.audio.timestamps" ? e.words : []));
      expect(words.length).toBeGreaterThanOrEqual(3);
      for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.text);
    }
  });

  test("a French job renders, and its audio says the text", async () => {
    const input = "Bonjour à tous. Nous sommes le 1er juin.";
    const res = await postJson("/v1/jobs", { input, voice: "ff_siwis", response_format: "pcm" });
    expect(res.status).toBe(201);
    const job = await res.json();
    const done = await waitFor(
      "the French job",
      async () => {
        const j = await (await fetch(`${stack.url}/v1/jobs/${job.id}`)).json();
        if (j.status === "failed") throw new Error(JSON.stringify(j.error));
        return j.status === "succeeded" ? j : undefined;
      },
      60_000,
      100,
    );
    const pcm = new Int16Array((await (await fetch(`${stack.url}${done.audio.url}`)).arrayBuffer()).slice(0));
    expect(heard(pcm)).toEqual(await tokensOf(input, "ff_siwis"));
  }, 90_000);

  test("the realtime socket speaks Italian with an Italian voice", async () => {
    const ws = await TestSocket.open(
      `${stack.url.replace("http", "ws")}/v1/speak?model=if_sara&encoding=linear16`,
    );
    ws.send({ type: "Speak", text: "Grazie mille, a domani." });
    ws.send({ type: "Flush" });
    await ws.waitFor((r) => r.kind === "json" && r.msg.type === "Flushed");
    const pcm = new Int16Array(new Uint8Array(ws.audioAfter()).buffer);
    expect(heard(pcm)).toEqual(await tokensOf("Grazie mille, a domani.", "if_sara"));
    ws.send({ type: "Close" });
    await ws.closed;
  });
});

describe("languages in the API", () => {
  test("/v1/voices gives each voice its language, and filters by tag or primary language", async () => {
    const all = (await (await fetch(`${stack.url}/v1/voices`)).json()).data;
    const lang = (name: string) => all.find((v: { name: string }) => v.name === name)?.language;
    expect([lang("ef_dora"), lang("ff_siwis"), lang("jf_alpha"), lang("zf_xiaobei")]).toEqual([
      "es",
      "fr-fr",
      "ja",
      "zh",
    ]);
    expect(all.every((v: { available: boolean }) => v.available)).toBe(true);
    const fr = (await (await fetch(`${stack.url}/v1/voices?language=fr`)).json()).data;
    expect(fr.map((v: { name: string }) => v.name)).toEqual(["ff_siwis"]);
    const en = (await (await fetch(`${stack.url}/v1/voices?language=en`)).json()).data;
    expect(en.length).toBe(28);
  });

  test("the OpenAPI document lists the languages", async () => {
    const doc = JSON.stringify(await (await fetch(`${stack.url}/openapi.json`)).json());
    expect(doc).toContain("en-us, en-gb, es, fr-fr, hi, it, pt-br, ja, zh");
  });

  test("phonemize warns when the text does not fit its language, and still reads it", async () => {
    const r = await postJson("/v1/audio/phonemize", {
      input: "The weather is nice and the sun is out today.",
      voice: "ef_dora",
    });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.language).toBe("es");
    expect(body.warnings[0]).toContain("looks like English");
    expect(body.phonemes.length).toBeGreaterThan(10);
  });

  test("an unknown language is a 400 that lists the nine", async () => {
    const r = await postJson("/v1/audio/speech", {
      model: "kokoro",
      input: "Hallo",
      voice: "af_heart",
      language: "de",
    });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.error.message).toContain("es, fr-fr, hi, it, pt-br, ja, zh");
  });
});
