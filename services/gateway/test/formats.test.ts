/**
 * Every response format, streamed by the real stack and decoded back with
 * ffmpeg/ffprobe: sample rate, a duration equal to the sum of the synth
 * chunks, and no discontinuity at the seams, compared with the same audio
 * rendered in one piece (the synth stream's PCM, joined, encoded at once).
 * Lossless formats must give back the exact samples (and the fixture model's
 * tokens); lossy ones must correlate with the reference everywhere.
 * Needs ffmpeg and ffprobe: skipped locally when absent, a failure in CI.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { createLogger } from "@kokoro-edge/runtime";
import type { Stack } from "../../stack";
import { createEncoder, type AudioFormat } from "../src/encoders";
import { phonemize } from "../src/pipeline/g2p-client";
import { synthChunks } from "../src/pipeline/plan";
import { synthesize } from "../src/pipeline/synth-client";
import { json, sharedStack } from "./api.stack";

const missing = ["ffmpeg", "ffprobe"].filter((t) => !Bun.which(t));
if (missing.length && process.env.CI)
  throw new Error(`format tests need ${missing.join(", ")} in CI (apt-get install -y ffmpeg)`);
if (missing.length) console.warn(`[tests] ${missing.join(", ")} not found: skipping format decode tests`);
const maybe = missing.length ? describe.skip : describe;

const TEXT =
  "Streaming audio must sound like one piece. Each chunk of speech joins the next without a click, a gap or a second header. " +
  "Players see one stream, from its first byte to its last; 12 chunks or 1, the length is the sum of the parts.";
const VOICE = "af_heart";

interface Reference {
  pcm: Int16Array;
  /** Sample offsets where one synth audio message ends and the next begins. */
  seams: number[];
  /** Samples per synth chunk; their sum is the whole stream. */
  chunkSamples: number[];
  tokens: number[];
}

let s: Stack;
let ref: Reference;

/** The same audio, straight from the synth stream over the bus, joined into one piece. */
async function reference(): Promise<Reference> {
  const g2p = await phonemize(s.bus, { text: TEXT, voice: VOICE });
  const chunks = synthChunks(g2p);
  const parts: Int16Array[] = [];
  const chunkSamples: number[] = [];
  for await (const ev of synthesize(
    s.bus,
    { v: 1, request_id: `ref-${crypto.randomUUID()}`, voice: VOICE, speed: 1, chunks },
    { credit: 8, maxResumes: 0, idleTimeoutMs: 10_000, log: createLogger("t") },
  )) {
    if (ev.type !== "audio") continue;
    parts.push(ev.pcm);
    chunkSamples[ev.chunk] = (chunkSamples[ev.chunk] ?? 0) + ev.pcm.length;
  }
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  const seams: number[] = [];
  let o = 0;
  for (const p of parts) {
    pcm.set(p, o);
    o += p.length;
    seams.push(o);
  }
  seams.pop();
  return { pcm, seams, chunkSamples, tokens: chunks.flatMap((c) => c.tokens) };
}

function run(cmd: string[], stdin?: Uint8Array): { stdout: Uint8Array; stderr: string; code: number } {
  const r = Bun.spawnSync(cmd, {
    stdin: stdin ? Buffer.from(stdin) : undefined,
    stdout: "pipe",
    stderr: "pipe",
  });
  return { stdout: new Uint8Array(r.stdout), stderr: r.stderr.toString(), code: r.exitCode };
}

/** Decode any stream to 24 kHz mono s16le with ffmpeg (raw PCM input needs its format named). */
function ffDecode(bytes: Uint8Array, format: AudioFormat): Int16Array {
  const input = format === "pcm" ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : [];
  const r = run(
    [
      "ffmpeg",
      "-v",
      "error",
      "-nostdin",
      ...input,
      "-i",
      "pipe:0",
      "-f",
      "s16le",
      "-ac",
      "1",
      "-ar",
      "24000",
      "pipe:1",
    ],
    bytes,
  );
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const copy = r.stdout.slice(0, r.stdout.length & ~1);
  return new Int16Array(copy.buffer);
}

function ffProbe(bytes: Uint8Array): { codec_name: string; sample_rate: string; channels: number } {
  const r = run(
    [
      "ffprobe",
      "-v",
      "error",
      "-show_entries",
      "stream=codec_name,sample_rate,channels",
      "-of",
      "json",
      "pipe:0",
    ],
    bytes,
  );
  expect(r.code).toBe(0);
  const streams = JSON.parse(new TextDecoder().decode(r.stdout)).streams;
  expect(streams.length).toBe(1);
  return streams[0];
}

/** The response body as the network delivered it, piece by piece. */
async function streamed(
  format: AudioFormat,
): Promise<{ res: Response; pieces: Uint8Array[]; bytes: Uint8Array }> {
  const res = await json(`${s.url}/v1/audio/speech`, {
    model: "kokoro",
    input: TEXT,
    voice: VOICE,
    response_format: format,
  });
  expect(res.status).toBe(200);
  const pieces: Uint8Array[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    pieces.push(r.value);
  }
  return { res, pieces, bytes: new Uint8Array(Buffer.concat(pieces)) };
}

/** The reference encoded in one push: what a player would get with no seams at all. */
async function onePiece(format: AudioFormat, pcm: Int16Array): Promise<Uint8Array> {
  const enc = await createEncoder(format, { sampleRate: 24000 });
  return new Uint8Array(Buffer.concat([enc.start(), enc.push(pcm), enc.end()]));
}

/** Lag (decoded index - reference index) with the best cross-correlation, in [0, maxLag]. */
function bestLag(dec: Int16Array, ref: Int16Array, maxLag: number): number {
  let best = 0;
  let bestC = -Infinity;
  const n = Math.min(ref.length, 48_000);
  for (let lag = 0; lag <= maxLag; lag++) {
    let c = 0;
    for (let i = 0; i < n && i + lag < dec.length; i += 2) c += dec[i + lag]! * ref[i]!;
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  return best;
}

/** Correlation of dec[lag + i] with ref[i] over [from, to). */
function corr(dec: Int16Array, ref: Int16Array, lag: number, from = 0, to = ref.length): number {
  let sr = 0;
  let sd = 0;
  let x = 0;
  for (let i = from; i < to && i + lag < dec.length; i++) {
    const a = ref[i]!;
    const b = dec[i + lag]!;
    sr += a * a;
    sd += b * b;
    x += a * b;
  }
  return sr === 0 && sd === 0 ? 1 : x / Math.sqrt(sr * sd || 1);
}

/** Worst correlation over 20 ms windows around each seam that has sound in the reference. */
function worstSeam(dec: Int16Array, refPcm: Int16Array, lag: number, seams: number[]): number {
  let worst = 1;
  for (const seam of seams) {
    const from = Math.max(0, seam - 240);
    const to = Math.min(refPcm.length, seam + 240);
    let energy = 0;
    for (let i = from; i < to; i++) energy += refPcm[i]! * refPcm[i]!;
    if (energy / (to - from) < 1000 ** 2 / 2) continue; // near-silent: a correlation means nothing there
    worst = Math.min(worst, corr(dec, refPcm, lag, from, to));
  }
  return worst;
}

const LOSSLESS: AudioFormat[] = ["pcm", "wav", "flac"];
const LOSSY: AudioFormat[] = ["mp3", "opus"];

maybe("every format decoded back (ffmpeg)", () => {
  beforeAll(async () => {
    s = await sharedStack();
    ref = await reference();
    expect(ref.seams.length).toBeGreaterThan(3); // several messages, so there are seams to check
    expect(ref.chunkSamples.length).toBeGreaterThan(1);
  });

  test("the reference: the chunks add up to the stream, and carry the tokens g2p made", () => {
    expect(ref.chunkSamples.reduce((a, b) => a + b, 0)).toBe(ref.pcm.length);
    expect(decodeTokens(ref.pcm).tokens).toEqual(ref.tokens);
  });

  for (const format of LOSSLESS) {
    test(`${format}: streamed, then decoded to exactly the samples of the one-piece audio`, async () => {
      const { res, bytes } = await streamed(format);
      if (format !== "pcm") {
        const p = ffProbe(bytes);
        expect(p.codec_name).toBe(format === "wav" ? "pcm_s16le" : "flac");
        expect(p.sample_rate).toBe("24000");
        expect(p.channels).toBe(1);
      }
      expect(res.headers.get("content-type")).toBe(format === "pcm" ? "audio/pcm" : `audio/${format}`);
      const dec = ffDecode(bytes, format);
      expect(dec.length).toBe(ref.chunkSamples.reduce((a, b) => a + b, 0)); // duration = the sum of the chunks
      expect(Buffer.from(dec.buffer).equals(Buffer.from(ref.pcm.buffer))).toBe(true); // every seam is invisible
      expect(decodeTokens(dec).tokens).toEqual(ref.tokens);
      if (format === "wav") {
        expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("RIFF");
        expect(Buffer.from(bytes).indexOf("RIFF", 4)).toBe(-1); // one header
      }
      if (format !== "pcm")
        expect(Buffer.from(bytes).equals(Buffer.from(await onePiece(format, ref.pcm)))).toBe(true);
    });
  }

  for (const format of LOSSY) {
    test(`${format}: decodes to the same samples as the one-piece encoding, and matches the audio at every seam`, async () => {
      const { bytes } = await streamed(format);
      const p = ffProbe(bytes);
      expect(p.channels).toBe(1);
      const expectedSamples = ref.chunkSamples.reduce((a, b) => a + b, 0);
      const dec = ffDecode(bytes, format);
      // The same samples as the audio encoded in one piece: chunking the stream changed nothing
      // (Ogg pages may be cut differently, the Opus packets in them are the same).
      const whole = ffDecode(await onePiece(format, ref.pcm), format);
      expect(Buffer.from(dec.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
      let lag = 0;
      if (format === "mp3") {
        expect(p.codec_name).toBe("mp3");
        expect(p.sample_rate).toBe("24000");
        // No LAME tag can be written ahead of a live stream: the decoder keeps the encoder delay and the last frame's padding.
        expect(dec.length).toBeGreaterThanOrEqual(expectedSamples);
        expect(dec.length - expectedSamples).toBeLessThan(576 * 2 + 1152);
        lag = bestLag(dec, ref.pcm, 2_400);
        expect(lag).toBeLessThan(1_200);
      } else {
        expect(p.codec_name).toBe("opus");
        expect(p.sample_rate).toBe("48000"); // Opus always decodes at 48 kHz ...
        const head = Buffer.from(bytes).indexOf("OpusHead");
        expect(new DataView(bytes.buffer, bytes.byteOffset + head + 12, 4).getUint32(0, true)).toBe(24000); // ... and records the 24 kHz input
        // Pre-skip and end trimming: exactly the samples that were sent.
        expect(Math.abs(dec.length - expectedSamples)).toBeLessThanOrEqual(2);
        lag = bestLag(dec, ref.pcm, 100);
        expect(lag).toBeLessThanOrEqual(4);
      }
      expect(corr(dec, ref.pcm, lag)).toBeGreaterThan(0.95);
      expect(worstSeam(dec, ref.pcm, lag, ref.seams)).toBeGreaterThan(0.9);
      // The check can fail: shifting the audio by half a millisecond at the seams ruins the correlation.
      expect(worstSeam(dec, ref.pcm, lag + 12, ref.seams)).toBeLessThan(0.9);
    });
  }

  test("aac is a clear 400 that names the formats that work", async () => {
    const res = await json(`${s.url}/v1/audio/speech`, {
      model: "kokoro",
      input: TEXT,
      voice: VOICE,
      response_format: "aac",
    });
    expect(res.status).toBe(400);
    const err = (await res.json()).error;
    expect(err.param).toBe("response_format");
    for (const f of ["mp3", "opus", "flac", "wav", "pcm"]) expect(err.message).toContain(f);
  });
});
