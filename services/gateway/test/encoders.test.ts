// Every response format, encoded the way the gateway will (one encoder per
// stream, PCM pushed in irregular chunks), decoded back with ffmpeg (and the
// reference `flac` tool) and compared with the PCM and with the same PCM
// encoded in one push. Needs ffmpeg, ffprobe and flac (Debian: ffmpeg, flac):
// skipped locally when absent, a failure in CI.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEncoder, type AudioFormat, type StreamEncoder } from "../src/encoders";

const RATE = 24000;
const TOOLS = ["ffmpeg", "ffprobe", "flac"];
const missing = TOOLS.filter((t) => !Bun.which(t));
if (missing.length && process.env.CI)
  throw new Error(`encoder tests need ${missing.join(", ")} in CI (apt-get install -y ffmpeg flac)`);
if (missing.length) console.warn(`[tests] ${missing.join(", ")} not found: skipping encoder decode tests`);
const maybe = missing.length ? describe.skip : describe;

const dir = mkdtempSync(join(tmpdir(), "encoders-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- signal

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Speech-like test audio: voiced tones with harmonics and glides under smooth
 * envelopes, separated by silences, ~2.6 s. Smooth everywhere, so any click
 * at a chunk seam would stand out.
 */
function testSignal(): Int16Array {
  const segs: { dur: number; f0?: number; f1?: number }[] = [
    { dur: 0.05 },
    { dur: 0.42, f0: 180, f1: 240 },
    { dur: 0.18 },
    { dur: 0.55, f0: 300, f1: 150 },
    { dur: 0.09 },
    { dur: 0.61, f0: 220, f1: 220 },
    { dur: 0.25 },
    { dur: 0.37, f0: 120, f1: 420 },
    { dur: 0.1 },
  ];
  const total = segs.reduce((n, s) => n + Math.round(s.dur * RATE), 0);
  const x = new Int16Array(total);
  let o = 0;
  for (const s of segs) {
    const n = Math.round(s.dur * RATE);
    if (s.f0 !== undefined) {
      let phase = 0;
      for (let i = 0; i < n; i++) {
        const t = i / n;
        const f = s.f0 + (s.f1! - s.f0) * t;
        phase += (2 * Math.PI * f) / RATE;
        const env = Math.sin(Math.PI * t) ** 2; // raised cosine: no step at either end
        const v =
          0.55 * Math.sin(phase) + 0.25 * Math.sin(2 * phase + 0.3) + 0.12 * Math.sin(3 * phase + 1.1);
        x[o + i] = Math.round(12000 * env * v);
      }
    }
    o += n;
  }
  return x;
}

/** White noise bursts: the worst case for a lossless coder's residuals. */
function noiseSignal(): Int16Array {
  const r = rng(7);
  const x = new Int16Array(RATE);
  for (let i = 0; i < x.length; i++)
    x[i] =
      i % 9000 < 3000
        ? Math.round((r() * 2 - 1) * 32767)
        : i % 9000 < 6000
          ? 0
          : Math.round((r() - 0.5) * 200);
  x[100] = 32767;
  x[101] = -32768;
  return x;
}

/** Irregular chunk sizes, as synth output arrives: tiny, empty, frame-sized, huge. */
function chunkSizes(total: number): number[] {
  const fixed = [0, 1, 479, 480, 481, 575, 577, 1151, 1153, 2, 4095, 4097, 0, 7, 12001];
  const r = rng(42);
  const sizes: number[] = [];
  let sum = 0;
  for (let i = 0; sum < total; i++) {
    const s = Math.min(i < fixed.length ? fixed[i]! : 1 + Math.floor(r() * 6000), total - sum);
    sizes.push(s);
    sum += s;
  }
  return sizes;
}

async function encodeChunked(
  format: AudioFormat,
  x: Int16Array,
  sizes: number[],
): Promise<{ bytes: Uint8Array; enc: StreamEncoder; perPush: number[] }> {
  const enc = await createEncoder(format, { sampleRate: RATE });
  const parts = [enc.start()];
  const perPush: number[] = [];
  let o = 0;
  for (const s of sizes) {
    // a copy into a reused buffer: the encoder must not keep a reference to what it was given
    const scratch = new Int16Array(s);
    scratch.set(x.subarray(o, o + s));
    const out = enc.push(scratch);
    scratch.fill(12345);
    perPush.push(out.length);
    parts.push(out.slice());
    o += s;
  }
  parts.push(enc.end());
  return { bytes: Buffer.concat(parts), enc, perPush };
}

async function encodeWhole(format: AudioFormat, x: Int16Array): Promise<Uint8Array> {
  const enc = await createEncoder(format, { sampleRate: RATE });
  return Buffer.concat([enc.start(), enc.push(x), enc.end()]);
}

// ---------------------------------------------------------------- tools

let fileNo = 0;
function toFile(bytes: Uint8Array, ext: string): string {
  const p = join(dir, `f${fileNo++}.${ext}`);
  require("node:fs").writeFileSync(p, bytes);
  return p;
}

function run(cmd: string[]): { stdout: Uint8Array; stderr: string; code: number } {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  return { stdout: r.stdout, stderr: r.stderr.toString(), code: r.exitCode ?? -1 };
}

/** Decode to s16le mono at `rate` (the codec's own output rate: no resampling). */
function decode(path: string, rate: number, extraIn: string[] = []): Int16Array {
  const r = run([
    "ffmpeg",
    "-nostdin",
    "-v",
    "error",
    ...extraIn,
    "-i",
    path,
    "-f",
    "s16le",
    "-acodec",
    "pcm_s16le",
    "-ac",
    "1",
    "-ar",
    String(rate),
    "-",
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const b = r.stdout;
  return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~1)));
}

function probe(path: string): { codec_name: string; sample_rate: string; channels: number } {
  const r = run([
    "ffprobe",
    "-v",
    "error",
    "-select_streams",
    "a:0",
    "-show_entries",
    "stream=codec_name,sample_rate,channels",
    "-of",
    "json",
    path,
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const streams = JSON.parse(r.stdout.toString()).streams;
  expect(streams.length).toBe(1);
  return streams[0];
}

// ---------------------------------------------------------------- signal measures

/** The lag (decoded index - original index) maximising cross-correlation, searched in [lo, hi]. */
function bestLag(dec: Int16Array, ref: Int16Array, lo: number, hi: number): number {
  let best = lo;
  let bestC = -Infinity;
  for (let lag = lo; lag <= hi; lag++) {
    let c = 0;
    for (let i = 0; i < ref.length; i += 2) {
      const j = i + lag;
      if (j >= 0 && j < dec.length) c += ref[i]! * dec[j]!;
    }
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  return best;
}

/** SNR (dB) of `dec` shifted by `lag` against `ref`, and their correlation. */
function compare(dec: Int16Array, ref: Int16Array, lag: number): { snr: number; corr: number } {
  let s = 0;
  let e = 0;
  let sd = 0;
  let sr = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = dec[i + lag] ?? 0;
    const r = ref[i]!;
    s += r * r;
    e += (d - r) * (d - r);
    sd += d * d;
    sr += r * d;
  }
  return { snr: 10 * Math.log10(s / Math.max(e, 1)), corr: sr / Math.sqrt(s * sd) };
}

/** Largest |x[i] - x[i-1]| near the seams, and everywhere else. */
function seamJumps(
  dec: Int16Array,
  seams: number[],
  lag: number,
  radius = 3,
): { atSeams: number; elsewhere: number } {
  const near = new Uint8Array(dec.length);
  for (const s of seams)
    for (let i = s + lag - radius; i <= s + lag + radius; i++) if (i > 0 && i < dec.length) near[i] = 1;
  let atSeams = 0;
  let elsewhere = 0;
  for (let i = 1; i < dec.length; i++) {
    const j = Math.abs(dec[i]! - dec[i - 1]!);
    if (near[i]) atSeams = Math.max(atSeams, j);
    else elsewhere = Math.max(elsewhere, j);
  }
  return { atSeams, elsewhere };
}

function seamPositions(sizes: number[]): number[] {
  const seams: number[] = [];
  let o = 0;
  for (const s of sizes.slice(0, -1)) seams.push((o += s));
  return seams;
}

function count(hay: Uint8Array, needle: string): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).toString("latin1").split(needle).length - 1;
}

const pcmOf = (x: Int16Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

// ---------------------------------------------------------------- containers

/** Walk an MP3 byte stream frame by frame; it must be frames only, end to end. */
function mp3Frames(b: Uint8Array): { frames: number; rates: Set<number>; kbps: Set<number>; mono: boolean } {
  const KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
  const RATES_V2 = [22050, 24000, 16000];
  let o = 0;
  let frames = 0;
  let mono = true;
  const rates = new Set<number>();
  const kbps = new Set<number>();
  while (o < b.length) {
    expect(o + 4).toBeLessThanOrEqual(b.length);
    const h = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    expect((h >>> 21) & 0x7ff).toBe(0x7ff); // sync
    expect((h >>> 19) & 3).toBe(2); // MPEG-2
    expect((h >>> 17) & 3).toBe(1); // layer III
    const br = KBPS_V2[(h >>> 12) & 15]!;
    const sr = RATES_V2[(h >>> 10) & 3]!;
    const pad = (h >>> 9) & 1;
    if (((h >>> 6) & 3) !== 3) mono = false;
    expect(br).toBeGreaterThan(0);
    rates.add(sr);
    kbps.add(br);
    o += Math.floor((72000 * br) / sr) + pad;
    frames++;
  }
  expect(o).toBe(b.length); // the last frame ends exactly at the end of the stream
  return { frames, rates, kbps, mono };
}

/** Bitwise Ogg CRC, independent of the encoder's table-driven one. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    crc >>>= 0;
  }
  return crc;
}

interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  seq: number;
  packets: number; // packets finishing on this page
  firstPacket: Uint8Array;
}

function oggPages(b: Uint8Array): OggPage[] {
  const pages: OggPage[] = [];
  let o = 0;
  while (o < b.length) {
    expect(Buffer.from(b.subarray(o, o + 4)).toString("latin1")).toBe("OggS");
    expect(b[o + 4]).toBe(0);
    const dv = new DataView(b.buffer, b.byteOffset + o);
    const nseg = b[o + 26]!;
    const lacing = b.subarray(o + 27, o + 27 + nseg);
    const bodyLen = lacing.reduce((a, v) => a + v, 0);
    const end = o + 27 + nseg + bodyLen;
    expect(end).toBeLessThanOrEqual(b.length);
    expect(dv.getUint32(22, true)).toBe(oggCrc(b.subarray(o, end)));
    let firstLen = 0;
    for (const v of lacing) {
      firstLen += v;
      if (v < 255) break;
    }
    pages.push({
      flags: b[o + 5]!,
      granule: dv.getBigInt64(6, true),
      serial: dv.getUint32(14, true),
      seq: dv.getUint32(18, true),
      packets: [...lacing].filter((v) => v < 255).length,
      firstPacket: b.slice(o + 27 + nseg, o + 27 + nseg + firstLen),
    });
    o = end;
  }
  return pages;
}

function checkOggOpus(b: Uint8Array, samples: number): { preSkip: number; pages: number } {
  const pages = oggPages(b);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(new Set(pages.map((p) => p.serial)).size).toBe(1);
  pages.forEach((p, i) => {
    expect(p.seq).toBe(i);
    expect(p.flags & 1).toBe(0); // our packets never span pages
    expect(p.flags & 2).toBe(i === 0 ? 2 : 0); // BOS only first
    expect(p.flags & 4).toBe(i === pages.length - 1 ? 4 : 0); // EOS only last
  });
  // OpusHead alone on page 0, OpusTags alone on page 1, both granule 0
  const head = pages[0]!.firstPacket;
  expect(pages[0]!.packets).toBe(1);
  expect(pages[1]!.packets).toBe(1);
  expect(Buffer.from(head.subarray(0, 8)).toString("latin1")).toBe("OpusHead");
  expect(Buffer.from(pages[1]!.firstPacket.subarray(0, 8)).toString("latin1")).toBe("OpusTags");
  expect(pages[0]!.granule).toBe(0n);
  expect(pages[1]!.granule).toBe(0n);
  const hv = new DataView(head.buffer, head.byteOffset);
  expect(head[8]).toBe(1); // version
  expect(head[9]).toBe(1); // mono
  const preSkip = hv.getUint16(10, true);
  expect(hv.getUint32(12, true)).toBe(RATE);
  expect(head[18]).toBe(0);
  expect(count(b, "OpusHead")).toBe(1);
  expect(count(b, "OpusTags")).toBe(1);
  // audio granules: 20 ms packets = 960 per packet at 48 kHz, the last one end-trimmed
  let packets = 0;
  for (const p of pages.slice(2, -1)) {
    packets += p.packets;
    expect(p.granule).toBe(BigInt(packets * 960));
  }
  const last = pages.at(-1)!;
  packets += last.packets;
  expect(last.granule).toBe(BigInt(preSkip + samples * 2));
  expect(last.granule).toBeLessThanOrEqual(BigInt(packets * 960));
  expect(BigInt(packets * 960) - last.granule).toBeLessThan(960n); // one packet of padding at most
  return { preSkip, pages: pages.length };
}

// ---------------------------------------------------------------- tests

const signal = testSignal();
const sizes = chunkSizes(signal.length);
const seams = seamPositions(sizes);

maybe("streaming encoders, decoded back", () => {
  test("the test signal is pushed in irregular chunks", () => {
    expect(sizes.length).toBeGreaterThan(20);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(signal.length);
    expect(sizes).toContain(0);
    expect(sizes).toContain(1);
  });

  test("pcm: the samples themselves, chunked like whole", async () => {
    const { bytes } = await encodeChunked("pcm", signal, sizes);
    expect(Buffer.compare(bytes, pcmOf(signal))).toBe(0);
    expect(Buffer.compare(bytes, await encodeWhole("pcm", signal))).toBe(0);
    const dec = decode(toFile(bytes, "raw"), RATE, ["-f", "s16le", "-ar", String(RATE), "-ac", "1"]);
    expect(dec.length).toBe(signal.length);
  });

  test("wav: one RIFF header with unknown sizes, exact samples", async () => {
    const { bytes, perPush } = await encodeChunked("wav", signal, sizes);
    expect(bytes.length).toBe(44 + signal.length * 2);
    expect(count(bytes.subarray(0, 44), "RIFF")).toBe(1);
    expect(count(bytes, "RIFF")).toBe(1);
    expect(count(bytes, "WAVEfmt ")).toBe(1);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect(dv.getUint32(4, true)).toBe(0xffffffff);
    expect(dv.getUint32(40, true)).toBe(0xffffffff);
    expect(Buffer.compare(bytes.subarray(44), pcmOf(signal))).toBe(0);
    // streaming: every push hands back its samples at once
    expect(perPush).toEqual(sizes.map((s) => s * 2));
    const path = toFile(bytes, "wav");
    const p = probe(path);
    expect(p).toEqual({ codec_name: "pcm_s16le", sample_rate: String(RATE), channels: 1 });
    const dec = decode(path, RATE);
    expect(dec).toEqual(signal);
    expect(Buffer.compare(bytes, await encodeWhole("wav", signal))).toBe(0);
  });

  test("flac: one fLaC stream, lossless, valid for the reference decoder", async () => {
    const { bytes, perPush } = await encodeChunked("flac", signal, sizes);
    expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("fLaC");
    expect(count(bytes, "fLaC")).toBe(1);
    // frames leave as soon as a block is full: no more than one block (48 ms) held back
    let pushed = 0;
    let emitted = 0;
    sizes.forEach((s, i) => {
      pushed += s;
      if (perPush[i]! > 0) emitted = pushed;
      expect(pushed - emitted).toBeLessThan(1152 * 2);
    });
    const path = toFile(bytes, "flac");
    const t = run(["flac", "--test", "--silent", path]);
    expect(t.stderr.replace(/.*cannot check MD5 signature.*\n?/g, "").trim()).toBe("");
    expect(t.code).toBe(0);
    expect(probe(path)).toEqual({ codec_name: "flac", sample_rate: String(RATE), channels: 1 });
    const dec = decode(path, RATE, ["-err_detect", "crccheck+bitstream+buffer+explode"]);
    expect(dec.length).toBe(signal.length);
    expect(dec).toEqual(signal);
    expect(decode(toFile(await encodeWhole("flac", signal), "flac"), RATE)).toEqual(signal);
    // it compresses (a smooth signal with silences: well under half of raw)
    expect(bytes.length).toBeLessThan(signal.length);
  });

  test("flac: noise, full-scale extremes and odd final blocks stay lossless", async () => {
    const noise = noiseSignal();
    for (const extra of [0, 1, 15, 16, 17, 255, 256, 1151]) {
      const x = noise.subarray(0, noise.length - 1152 * 3 + extra);
      const { bytes } = await encodeChunked("flac", x, chunkSizes(x.length));
      const path = toFile(bytes, "flac");
      expect(run(["flac", "--test", "--silent", path]).code).toBe(0);
      expect(decode(path, RATE, ["-err_detect", "crccheck+bitstream+buffer+explode"])).toEqual(x);
    }
  });

  test("mp3: continuous MPEG-2 layer III frames, no tags, decodes to the signal", async () => {
    const { bytes } = await encodeChunked("mp3", signal, sizes);
    const whole = await encodeWhole("mp3", signal);
    const f = mp3Frames(bytes);
    expect(f.rates).toEqual(new Set([RATE]));
    expect(f.kbps).toEqual(new Set([64]));
    expect(f.mono).toBe(true);
    expect(count(bytes, "ID3")).toBe(0);
    expect(count(bytes, "Xing")).toBe(0);
    expect(count(bytes, "Info")).toBe(0);
    // ("LAME" does occur: it fills unused ancillary bits inside frames with its name)
    const path = toFile(bytes, "mp3");
    expect(probe(path)).toEqual({ codec_name: "mp3", sample_rate: String(RATE), channels: 1 });
    const dec = decode(path, RATE, ["-err_detect", "crccheck+bitstream+buffer+explode"]);
    // one encoder, same frames whichever way the PCM arrived
    const decWhole = decode(toFile(whole, "mp3"), RATE);
    expect(dec.length).toBe(decWhole.length);
    expect(compare(dec, decWhole, 0).snr).toBeGreaterThan(60);
    // duration: the pushed samples plus LAME's fixed delay, padded to under one more frame
    const lag = bestLag(dec, signal, 0, 3000);
    expect(lag).toBeGreaterThanOrEqual(529);
    expect(lag).toBeLessThanOrEqual(1105 + 576);
    const tail = dec.length - lag - signal.length;
    expect(tail).toBeGreaterThanOrEqual(0);
    expect(tail).toBeLessThan(576 + 1152);
    expect(f.frames * 576).toBe(dec.length);
    const q = compare(dec, signal, lag);
    expect(q.corr).toBeGreaterThan(0.97);
    expect(q.snr).toBeGreaterThan(12);
    const j = seamJumps(dec, seams, lag);
    expect(j.atSeams).toBeLessThanOrEqual(j.elsewhere);
    console.log(
      `mp3: ${bytes.length} B, ${f.frames} frames, delay ${lag}, tail ${tail}, SNR ${q.snr.toFixed(1)} dB, corr ${q.corr.toFixed(4)}, seam jump ${j.atSeams} vs ${j.elsewhere}`,
    );
  });

  test("opus: one Ogg stream, exact duration through pre-skip and end trimming", async () => {
    const { bytes, perPush } = await encodeChunked("opus", signal, sizes);
    const { preSkip, pages } = checkOggOpus(bytes, signal.length);
    // streaming: audio pages leave as soon as a 20 ms packet is ready
    let pushed = 0;
    let emitted = 0;
    sizes.forEach((s, i) => {
      pushed += s;
      if (perPush[i]! > 0) emitted = pushed;
      expect(pushed - emitted).toBeLessThan(480 * 2);
    });
    const path = toFile(bytes, "opus");
    expect(probe(path)).toEqual({ codec_name: "opus", sample_rate: "48000", channels: 1 });
    const dec48 = decode(path, 48000, ["-err_detect", "crccheck+bitstream+buffer+explode"]);
    expect(dec48.length).toBe(signal.length * 2);
    const whole = await encodeWhole("opus", signal);
    checkOggOpus(whole, signal.length);
    const decWhole48 = decode(toFile(whole, "opus"), 48000);
    expect(compare(dec48, decWhole48, 0).snr).toBeGreaterThan(60);
    // at 24 kHz the decoded audio lines up with the input sample for sample (pre-skip is right)
    const dec = decode(path, RATE);
    expect(Math.abs(dec.length - signal.length)).toBeLessThanOrEqual(1);
    const lag = bestLag(dec, signal, -400, 400);
    expect(Math.abs(lag)).toBeLessThanOrEqual(1);
    const q = compare(dec, signal, lag);
    expect(q.corr).toBeGreaterThan(0.95);
    expect(q.snr).toBeGreaterThan(8);
    const j = seamJumps(dec, seams, lag);
    expect(j.atSeams).toBeLessThanOrEqual(j.elsewhere);
    console.log(
      `opus: ${bytes.length} B, ${pages} pages, pre-skip ${preSkip}, lag ${lag}, SNR ${q.snr.toFixed(1)} dB, corr ${q.corr.toFixed(4)}, seam jump ${j.atSeams} vs ${j.elsewhere}`,
    );
  });

  // A player starts on the first bytes: what was sent after some pushes must already
  // decode to the start of the audio, identical to the same span of the finished stream.
  const heldBack: Record<string, { rate: number; max: number }> = {
    wav: { rate: RATE, max: 0 },
    flac: { rate: RATE, max: 1151 },
    mp3: { rate: RATE, max: 2 * 1152 }, // LAME holds back up to two frames (its look-ahead); its delay is added
    opus: { rate: 48000, max: 479 + 156 }, // a partial 20 ms frame, and pre-skip (312 at 48 kHz) dropped
  };
  test.each(Object.keys(heldBack))("%s: the bytes sent so far already play", async (format) => {
    const f = format as AudioFormat;
    const { rate, max } = heldBack[f]!;
    const enc = await createEncoder(f, { sampleRate: RATE });
    const parts = [enc.start()];
    let pushed = 0;
    for (const s of sizes.slice(0, Math.floor(sizes.length / 2))) {
      parts.push(enc.push(signal.subarray(pushed, pushed + s)));
      pushed += s;
    }
    const prefix = Buffer.concat(parts);
    parts.push(enc.push(signal.subarray(pushed)), enc.end());
    const full = decode(toFile(Buffer.concat(parts), f), rate);
    const dec = decode(toFile(prefix, f), rate);
    const scale = rate / RATE;
    const delay = f === "mp3" ? bestLag(full, signal, 0, 3000) : 0;
    expect(dec.length).toBeGreaterThanOrEqual((pushed - max) * scale + delay);
    expect(dec.length).toBeLessThanOrEqual(full.length);
    expect(dec).toEqual(full.subarray(0, dec.length));
  });

  describe("empty stream (end right after start) is a valid file", () => {
    const empty = async (f: AudioFormat) => {
      const e = await createEncoder(f, { sampleRate: RATE });
      return Buffer.concat([e.start(), e.end()]);
    };
    test("pcm", async () => {
      expect((await empty("pcm")).length).toBe(0);
    });
    test("wav", async () => {
      const b = await empty("wav");
      expect(b.length).toBe(44);
      const path = toFile(b, "wav");
      expect(probe(path).sample_rate).toBe(String(RATE));
      expect(decode(path, RATE).length).toBe(0);
    });
    test("flac", async () => {
      const b = await empty("flac");
      const path = toFile(b, "flac");
      expect(run(["flac", "--test", "--silent", path]).code).toBe(0);
      expect(probe(path)).toEqual({ codec_name: "flac", sample_rate: String(RATE), channels: 1 });
      expect(decode(path, RATE).length).toBe(0);
    });
    test("opus", async () => {
      const b = await empty("opus");
      checkOggOpus(b, 0);
      const path = toFile(b, "opus");
      expect(probe(path).codec_name).toBe("opus");
      expect(decode(path, 48000).length).toBe(0);
    });
    test("mp3", async () => {
      const b = await empty("mp3");
      const f = mp3Frames(b);
      expect(f.frames).toBeGreaterThan(0);
      const path = toFile(b, "mp3");
      expect(probe(path).codec_name).toBe("mp3");
      const dec = decode(path, RATE);
      expect(dec.length).toBeLessThanOrEqual(3 * 576);
      expect(dec.every((v) => Math.abs(v) < 4)).toBe(true); // silence
    });
  });
});
