/**
 * Issue 20, findings 2 and 7, over real HTTP on the one-process platform:
 * renders have limits on document, cue and track length and on job bytes per
 * key (each a 4xx naming the limit), long plain text is split into bounded
 * cues, and a cue with nothing to speak is skipped instead of ending the render.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { contracts } from "@kokoro-edge/proto";
import { startStack, type Stack } from "../../services/stack";
import { pcmFromWav } from "../support/audio";
import { fixtureStackEnv } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { waitFor } from "../support/ports";
import { firstSound } from "../support/subtitles";
import { phonemize } from "../../services/gateway/src/pipeline/g2p-client";
import { WHOLE_PIECE_FIRST_CHUNK_TOKENS } from "../../services/gateway/src/pipeline/render-text";
import { splitLongText, TEXT_PIECE_CHARS } from "../../services/gateway/src/subtitles/split-text";

let stack: Stack;
const SR = 24_000;

beforeAll(async () => {
  stack = await startStack(
    fixtureStackEnv("limits", {
      JOB_POLL_MS: "100",
      RATE_LIMIT_RPM: "0",
      MAX_DOCUMENT_CHARS: "20000",
      SUBTITLES_MAX_CUE_CHARS: "300",
      MAX_TRACK_SECONDS: "1800",
      JOB_MAX_BYTES_PER_KEY: String(50 * 60 * SR * 2), // 50 minutes of raw audio
    }),
  );
  await stack.synthReady;
});
afterAll(async () => stack?.stop());

const postJson = (path: string, body: unknown) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const tokensOf = async (text: string) => {
  const r = await stack.bus.requestJson(contracts.g2p.phonemize, { v: 1, text, voice: "af_heart" });
  if ("error" in r) throw new Error(r.error.message);
  return r.chunks.flatMap((c) => c.tokens);
};
const waitJob = (id: string) =>
  waitFor(
    `job ${id}`,
    async () => {
      const j = await (await fetch(`${stack.url}/v1/jobs/${id}`)).json();
      return ["succeeded", "failed"].includes(j.status) ? j : undefined;
    },
    120_000,
    100,
  );

describe("render limits (finding 2)", () => {
  test("a 30 KB document of '-->' is refused with a 413 naming MAX_DOCUMENT_CHARS, on both routes", async () => {
    const document = "-->".repeat(10_000);
    for (const [path, body] of [
      ["/v1/audio/subtitles", { document }],
      ["/v1/jobs", { document }],
      ["/v1/jobs", { input: document }],
    ] as const) {
      const res = await postJson(path, body);
      expect(res.status).toBe(413);
      const err = (await res.json()).error;
      expect(err.code).toBe("document_too_long");
      expect(err.message).toContain("MAX_DOCUMENT_CHARS");
    }
  });

  test("a timed cue past MAX_TRACK_SECONDS is a 413 (a 72-byte SRT at 03:00:00 wrote 518 MB)", async () => {
    const srt = "1\n03:00:00,000 --> 03:00:02,000\nHello.\n";
    for (const path of ["/v1/audio/subtitles", "/v1/jobs"]) {
      const res = await postJson(path, { document: srt });
      expect(res.status).toBe(413);
      const err = (await res.json()).error;
      expect(err.code).toBe("track_too_long");
      expect(err.message).toContain("MAX_TRACK_SECONDS");
    }
    const huge = await postJson("/v1/audio/subtitles", {
      document: "1\n99999:00:00,000 --> 99999:00:01,000\nHi.\n",
    });
    expect([400, 413]).toContain(huge.status);
  });

  test("a timed cue longer than SUBTITLES_MAX_CUE_CHARS is a 413 naming the cue", async () => {
    const srt = `1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:09,000\n${"word ".repeat(100)}\n`;
    const res = await postJson("/v1/audio/subtitles", { document: srt });
    expect(res.status).toBe(413);
    const err = (await res.json()).error;
    expect(err.code).toBe("cue_too_long");
    expect(err.message).toContain("cue 2");
    expect(err.message).toContain("SUBTITLES_MAX_CUE_CHARS");
  });

  test("a long plain-text paragraph is split into bounded cues, streamed, and says every word", async () => {
    const paragraph =
      "The long road winds through the hills, past the old mill and the river, and on toward the sea. "
        .repeat(30)
        .trim();
    const res = await postJson("/v1/audio/subtitles", {
      document: paragraph,
      response_format: "wav",
      speed: 4,
    });
    expect(res.status).toBe(200);
    const cues = Number(res.headers.get("x-kokoro-cues"));
    expect(cues).toBeGreaterThan(5); // one cue before: held whole as PCM before the first byte
    const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
    const pieces = splitLongText(paragraph);
    expect(pieces.length).toBe(cues);
    expect(pieces.join(" ")).toBe(paragraph);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(TEXT_PIECE_CHARS);
    // each cue is chunked as a piece rendered whole
    const g2p = await Promise.all(
      pieces.map((text) =>
        phonemize(stack.bus, { text, voice: "af_heart", first_chunk_tokens: WHOLE_PIECE_FIRST_CHUNK_TOKENS }),
      ),
    );
    const expected = g2p.flatMap((r) => r.chunks.flatMap((c) => c.tokens));
    expect(decodeTokens(pcm).tokens).toEqual(expected);
  }, 120_000);

  test("a plain-text job whose speech would run past MAX_TRACK_SECONDS fails with 413 track_too_long", async () => {
    // Far more speech than 1800 s at speed 0.5: the limit stops it as it is rendered.
    const text = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i}: ${"one two three four five six seven eight nine ten. ".repeat(7)}`,
    ).join("\n\n");
    expect(text.length).toBeLessThan(20_000);
    const res = await postJson("/v1/jobs", { input: text, speed: 0.5, response_format: "pcm" });
    expect(res.status).toBe(201);
    const done = await waitJob((await res.json()).id);
    expect(done.status).toBe("failed");
    expect(done.error.code).toBe("track_too_long");
    expect(done.error.status).toBe(413);
    expect(done.error.message).toContain("MAX_TRACK_SECONDS");
  }, 150_000);

  test("JOB_MAX_BYTES_PER_KEY: a job that would take the key's audio past its quota is a 429 naming the limit", async () => {
    const first = await postJson("/v1/jobs", {
      document: "1\n00:29:00,000 --> 00:29:01,000\nHello.\n",
      response_format: "pcm",
    });
    expect(first.status).toBe(201);
    const done = await waitJob((await first.json()).id);
    expect(done.status).toBe("succeeded");
    expect(done.audio.bytes).toBeGreaterThan(29 * 60 * SR * 2);
    const second = await postJson("/v1/jobs", {
      document: "1\n00:25:00,000 --> 00:25:01,000\nAgain.\n",
      response_format: "pcm",
    });
    expect(second.status).toBe(429);
    const err = (await second.json()).error;
    expect(err.code).toBe("job_quota_exceeded");
    expect(err.message).toContain("JOB_MAX_BYTES_PER_KEY");
    // Deleting the finished job frees its bytes.
    expect((await fetch(`${stack.url}/v1/jobs/${done.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    const third = await postJson("/v1/jobs", {
      document: "1\n00:00:01,000 --> 00:00:02,000\nAgain.\n",
      response_format: "pcm",
    });
    expect(third.status).toBe(201);
  }, 150_000);
});

describe("a cue with nothing to speak (finding 7)", () => {
  const SRT =
    "1\n00:00:00,500 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,500 --> 00:00:04,000\n\u{1F389}\n\n3\n00:00:04,500 --> 00:00:06,000\nGeneral Kenobi!\n";

  test("the stream is complete: the emoji cue's slot is silent and the others are spoken", async () => {
    const res = await postJson("/v1/audio/subtitles", { document: SRT, response_format: "wav" });
    expect(res.status).toBe(200);
    const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer())); // a truncated body throws here
    expect(pcm.length).toBeGreaterThanOrEqual(6 * SR);
    expect(firstSound(pcm, Math.round(2.1 * SR))).toBeGreaterThanOrEqual(Math.round(4.5 * SR)); // silent slot
    expect(decodeTokens(pcm.subarray(0, Math.round(2.5 * SR))).tokens).toEqual(
      await tokensOf("Hello there."),
    );
    expect(decodeTokens(pcm.subarray(Math.round(4.5 * SR))).tokens).toEqual(
      await tokensOf("General Kenobi!"),
    );
  }, 60_000);

  test("the SSE cue report marks it skipped", async () => {
    const res = await postJson("/v1/audio/subtitles", {
      document: SRT,
      response_format: "pcm",
      stream_format: "sse",
    });
    const events = (await res.text())
      .split("\n\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)));
    const cues = events.filter((e) => e.type === "subtitles.cue").map((e) => e.cue);
    expect(cues.map((c) => c.skipped ?? null)).toEqual([null, "no_speakable_text", null]);
    const done = events.find((e) => e.type === "subtitles.done");
    expect(done.report.skipped).toBe(1);
  }, 60_000);

  test("a job with such a cue succeeds and reports it skipped", async () => {
    const res = await postJson("/v1/jobs", { document: SRT, response_format: "wav" });
    expect(res.status).toBe(201);
    const done = await waitJob((await res.json()).id);
    expect(done.status).toBe("succeeded");
    expect(done.report.skipped).toBe(1);
    expect(done.report.cues[1].skipped).toBe("no_speakable_text");
  }, 60_000);
});
