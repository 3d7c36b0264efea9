/** Subtitles to speech, and durable jobs, through the whole platform in one process. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { contracts } from "@kokoro-edge/proto";
import { startStack, type Stack } from "../../services/stack";
import { phonemize } from "../../services/gateway/src/pipeline/g2p-client";
import { WHOLE_PIECE_FIRST_CHUNK_TOKENS } from "../../services/gateway/src/pipeline/render-text";
import { pcmFromWav } from "../support/audio";
import { fixtureStackEnv } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { waitFor } from "../support/ports";
import { filmSrt, firstSound } from "../support/subtitles";
import { splitLongText } from "../../services/gateway/src/subtitles/split-text";

let stack: Stack;
const FRAME = 480; // 20 ms at 24 kHz

beforeAll(async () => {
  stack = await startStack(
    fixtureStackEnv("subs", { JOB_POLL_MS: "100", JOB_CUE_CONCURRENCY: "4", RATE_LIMIT_RPM: "0" }),
  );
  await stack.synthReady;
});
afterAll(async () => stack?.stop());

const tokensOf = async (text: string, voice = "af_heart") => {
  const r = await stack.bus.requestJson(contracts.g2p.phonemize, { v: 1, text, voice });
  if ("error" in r) throw new Error(r.error.message);
  return r.chunks.flatMap((c) => c.tokens);
};
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("POST /v1/audio/subtitles", () => {
  const SRT =
    "\uFEFF1\r\n00:00:00,500 --> 00:00:02,000\r\n<i>Hello there.</i>\r\n\r\n3\r\n00:00:03,250 --> 00:00:05,000\r\nGeneral Kenobi!\r\n\r\n2\r\n00:00:06,010 --> 00:00:07,500\r\nYou are a <b>bold</b> one.";

  test("every cue's speech starts at its cue time and says the cue's words", async () => {
    const res = await postJson("/v1/audio/subtitles", {
      document: SRT,
      voice: "af_heart",
      response_format: "wav",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-kokoro-subtitle-format")).toBe("srt");
    const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
    const cues = [
      { start: 0.5, next: 3.25, text: "Hello there." },
      { start: 3.25, next: 6.01, text: "General Kenobi!" },
      { start: 6.01, next: Infinity, text: "You are a bold one." },
    ];
    for (const c of cues) {
      const at = Math.round(c.start * 24000);
      expect(firstSound(pcm, at - 4 * FRAME)).toBeGreaterThanOrEqual(at); // never before its cue
      expect(firstSound(pcm, at) - at).toBeLessThan(FRAME); // within one 20 ms frame
      const slice = pcm.subarray(at, Number.isFinite(c.next) ? Math.round(c.next * 24000) : pcm.length);
      expect(decodeTokens(slice).tokens).toEqual(await tokensOf(c.text));
    }
  });

  test("speakers get their own voices (multipart upload of an ASS file)", async () => {
    const ass = [
      "[Script Info]",
      "ScriptType: v4.00+",
      "",
      "[V4+ Styles]",
      "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
      "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1",
      "",
      "[Events]",
      "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
      "Dialogue: 0,0:00:00.50,0:00:02.50,Default,Alice,0,0,0,,{\\i1}Good morning{\\i0}, Bob.",
      "Dialogue: 0,0:00:03.00,0:00:05.00,Default,Bob,0,0,0,,Morning, Alice!\\NHow are you?",
      "Dialogue: 0,0:00:05.50,0:00:06.00,Default,Bob,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}",
    ].join("\n");
    const form = new FormData();
    form.append("file", new File([ass], "scene.ass"));
    form.append("speakers", JSON.stringify({ alice: "af_bella", BOB: "am_adam" }));
    form.append("response_format", "pcm");
    const res = await fetch(`${stack.url}/v1/audio/subtitles`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    const pcm = new Int16Array((await res.arrayBuffer()).slice(0));
    const alice = decodeTokens(pcm.subarray(12000, 72000));
    const bob = decodeTokens(pcm.subarray(72000));
    expect(alice.tokens).toEqual(await tokensOf("Good morning, Bob.", "af_bella"));
    expect(bob.tokens).toEqual(await tokensOf("Morning, Alice! How are you?", "am_adam"));
    expect(Math.abs(alice.shiftHz - bob.shiftHz)).toBeGreaterThan(0.3); // different voices, different style vectors
  });

  test("a cue too long for its slot is sped up to the cap, and the rest is reported as overflow", async () => {
    const long =
      "This cue has far too many words to be spoken in the half second that its slot allows, even when it is read quickly.";
    const srt = `1\n00:00:01,000 --> 00:00:01,500\n${long}\n\n2\n00:00:30,000 --> 00:00:31,000\nShort.\n`;
    const res = await postJson("/v1/audio/subtitles", {
      document: srt,
      response_format: "pcm",
      stream_format: "sse",
      retime: "srt",
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split("\n\n")
      .filter((b) => b.startsWith("data: "))
      .map((b) => JSON.parse(b.slice(6)));
    const cues = events.filter((e) => e.type === "subtitles.cue").map((e) => e.cue);
    const done = events.find((e) => e.type === "subtitles.done");
    expect(cues.length).toBe(2);
    expect(cues[0].speed).toBe(1.35);
    expect(cues[0].overflow_samples).toBe(cues[0].start_sample + cues[0].speech_samples - 36000);
    expect(cues[0].overflow_s).toBeCloseTo(cues[0].overflow_samples / 24000, 9);
    expect(cues[1].speed).toBe(1);
    expect(cues[1].overflow_samples).toBe(0);
    expect(done.report.overflowed).toBe(1);
    expect(done.retimed).toContain("00:00:01,000 --> ");
    expect(done.retimed).toContain("00:00:30,000 --> ");
  });

  test("time to first audio is measured for subtitle tracks too, by route, format and transport", async () => {
    const res = await postJson("/v1/audio/subtitles", {
      document: "1\n00:00:00,200 --> 00:00:01,500\nMetrics.\n",
      format: "srt",
      response_format: "wav",
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const line = metrics
      .split("\n")
      .find(
        (l) =>
          l.startsWith("kokoro_ttfa_seconds_count{") &&
          l.includes('route="/v1/audio/subtitles"') &&
          l.includes('format="wav"') &&
          l.includes('transport="audio"'),
      );
    expect(Number(line?.split(" ").pop())).toBeGreaterThanOrEqual(1);
  });

  test("a client that hangs up before the first audio is a cancellation, not a server error", async () => {
    const errors = async () => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      return text
        .split("\n")
        .filter(
          (l) =>
            l.startsWith("kokoro_http_requests_total{") &&
            l.includes('route="/v1/audio/subtitles"') &&
            /status="5\d\d"/.test(l),
        )
        .reduce((n, l) => n + Number(l.split(" ").pop()), 0);
    };
    const before = await errors();
    for (const ms of [20, 60, 120]) {
      const ac = new AbortController();
      const req = fetch(`${stack.url}/v1/audio/subtitles`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          document:
            "1\n00:00:00,000 --> 00:00:05,000\nHello there, this is a cue.\n\n2\n00:00:06,000 --> 00:00:09,000\nAnd another one.\n",
          format: "srt",
        }),
        signal: ac.signal,
      });
      setTimeout(() => ac.abort(), ms);
      await req.then((r) => r.arrayBuffer()).catch(() => {});
    }
    await Bun.sleep(1500);
    expect(await errors()).toBe(before);
  });

  test("a broken file is a 400 that names the line; an unknown voice a 400 before any audio", async () => {
    const bad = await postJson("/v1/audio/subtitles", {
      document: "1\n00:00:01,000 --> garbage\nHello\n",
      format: "srt",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/line \d+/);
    const voice = await postJson("/v1/audio/subtitles", {
      document: "1\n00:00:01,000 --> 00:00:02,000\nHello\n",
      voice: "af_nobody",
    });
    expect(voice.status).toBe(400);
    expect((await voice.json()).error.code).toBe("unknown_voice");
  });
});

describe("jobs", () => {
  test("a 1,500-cue film: every cue starts at its exact time, within one frame, no drift", async () => {
    const film = filmSrt(1500, (i) => ["Yes.", "No way!", "Hello there.", "Go on, then."][i % 4]!);
    const res = await postJson(
      "/v1/jobs",
      { document: film.srt, filename: "film.srt", response_format: "wav" },
      { "idempotency-key": "film-1500" },
    );
    expect(res.status).toBe(201);
    const job = await res.json();
    expect(job.progress.cues_total).toBe(1500);
    const again = await postJson(
      "/v1/jobs",
      { document: film.srt, filename: "film.srt", response_format: "wav" },
      { "idempotency-key": "film-1500" },
    );
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(job.id);

    const done = await waitFor(
      "the film job to finish",
      async () => {
        const j = await (await fetch(`${stack.url}/v1/jobs/${job.id}`)).json();
        if (j.status === "failed") throw new Error(JSON.stringify(j.error));
        return j.status === "succeeded" ? j : undefined;
      },
      240_000,
      250,
    );
    expect(done.report.cues.length).toBe(1500);
    const audio = await fetch(`${stack.url}${done.audio.url}`);
    expect(audio.headers.get("accept-ranges")).toBe("bytes");
    const bytes = new Uint8Array(await audio.arrayBuffer());
    const { pcm } = pcmFromWav(bytes);
    let checked = 0;
    for (let i = 0; i < 1500; i++) {
      const at = Math.round(film.starts[i]! * 24000);
      const r = done.report.cues[i];
      expect(r.start_sample).toBe(at);
      expect(r.speed).toBeLessThanOrEqual(1.35);
      const prev = done.report.cues[i - 1];
      const prevEnd = prev ? prev.start_sample + prev.speech_samples : 0;
      if (prevEnd > at) expect(prev.overlaps_next).toBe(true); // running into this cue is reported
      if (prevEnd > at - FRAME) continue; // the previous cue's speech is still sounding here
      const heard = firstSound(pcm, at - FRAME);
      expect(heard).toBeGreaterThanOrEqual(at); // never before its cue
      expect(heard - at).toBeLessThan(FRAME); // within one 20 ms frame
      checked++;
    }
    expect(checked).toBeGreaterThan(1400);
    // Range requests return the right slices.
    const part = await fetch(`${stack.url}${done.audio.url}`, { headers: { range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(
      Buffer.compare(Buffer.from(await part.arrayBuffer()), Buffer.from(bytes.subarray(1000, 2000))),
    ).toBe(0);
    // The captions re-timed to the speech start where the cues start.
    const srt = await (await fetch(`${stack.url}/v1/jobs/${job.id}/subtitles?format=srt`)).text();
    expect(srt.split("\n\n").filter(Boolean).length).toBe(1500);
    expect(srt.startsWith("1\n00:00:01,014 --> ")).toBe(true);
  }, 300_000);

  test("a plain-text job with one very long paragraph: rendered as bounded pieces, every word said", async () => {
    const paragraph =
      "The long road winds through the hills, past the old mill and the river, and on toward the sea. ".repeat(
        300,
      );
    expect(paragraph.length).toBeGreaterThan(25_000);
    const res = await postJson("/v1/jobs", { input: paragraph, response_format: "pcm", speed: 4 });
    expect(res.status).toBe(201);
    const job = await res.json();
    const done = await waitFor(
      "the long text job",
      async () => {
        const j = await (await fetch(`${stack.url}/v1/jobs/${job.id}?cues=false`)).json();
        if (j.status === "failed") throw new Error(JSON.stringify(j.error));
        return j.status === "succeeded" ? j : undefined;
      },
      180_000,
      250,
    );
    const audio = await fetch(`${stack.url}${done.audio.url}`);
    expect(audio.status).toBe(200);
    const pcm = new Int16Array((await audio.arrayBuffer()).slice(0));
    // the paragraph is cut into pieces (issue 20, finding 2), each chunked as the job chunks a piece it renders whole
    const pieces = splitLongText(paragraph);
    expect(done.progress.cues_total).toBe(pieces.length);
    const g2p = await Promise.all(
      pieces.map((text) =>
        phonemize(stack.bus, { text, voice: "af_heart", first_chunk_tokens: WHOLE_PIECE_FIRST_CHUNK_TOKENS }),
      ),
    );
    expect(decodeTokens(pcm).tokens).toEqual(g2p.flatMap((r) => r.chunks.flatMap((c) => c.tokens)));
  }, 200_000);

  test("progress events, cancellation, and errors for jobs that are not there", async () => {
    const film = filmSrt(400, (i) => `This is the somewhat longer line number ${i + 1}, spoken slowly.`);
    const job = await (await postJson("/v1/jobs", { document: film.srt, response_format: "mp3" })).json();
    const events = await fetch(`${stack.url}/v1/jobs/${job.id}/events`);
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    const reader = events.body!.getReader();
    let text = "";
    while (!text.includes("event: job.progress"))
      text += new TextDecoder().decode((await reader.read()).value);
    const cancelled = await (await fetch(`${stack.url}/v1/jobs/${job.id}`, { method: "DELETE" })).json();
    expect(cancelled.status).toBe("cancelled");
    while (!text.includes("event: job.cancelled")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain("event: job.cancelled");
    const audio = await fetch(`${stack.url}/v1/jobs/${job.id}/audio`);
    expect(audio.status).toBe(409);
    expect((await fetch(`${stack.url}/v1/jobs/job_nope`)).status).toBe(404);
    const bad = await postJson("/v1/jobs", { document: "not a subtitle --> at all", format: "srt" });
    expect(bad.status).toBe(400);
    const aac = await postJson("/v1/jobs", { input: "Hello.", response_format: "aac" });
    expect(aac.status).toBe(400);
  });
});
