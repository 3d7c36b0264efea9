import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import {
  ensureFixtureModel,
  expectedDurations,
  expectedSamples,
  FRAME_SAMPLES,
  generateFixtureModel,
  renderReference,
  styleShiftHz,
  writeFixtureModel,
} from "../src/index.ts";
import { IR_VERSION, OPSET_VERSION, resolveOptions } from "../src/generate.ts";
import { buildGraph } from "../src/graph.ts";
import { DataType, encodeModel } from "../src/onnx-proto.ts";
import { randomTokens, rng, session, synth } from "./helpers.ts";

describe("signature", () => {
  test("onnx-community naming, with durations (default)", async () => {
    const s = await session();
    expect(s.inputNames).toEqual(["input_ids", "style", "speed"]);
    expect(s.outputNames).toEqual(["waveform", "durations"]);
    const r = await synth([10, 20, 30], "af_heart", 1);
    const d = Array.from(r.durations!.data as BigInt64Array, Number);
    expect(r.audio.type).toBe("float32");
    expect(r.durations!.type).toBe("int64");
    expect(r.durations!.dims).toEqual([1, 5]);
    expect(r.audio.dims).toEqual([1, d.reduce((a, b) => a + b, 0) * FRAME_SAMPLES]);
  });

  test("onnx-community naming, no durations", async () => {
    const s = await session({ durations: false });
    expect(s.outputNames).toEqual(["waveform"]);
    const r = await synth([1, 2], "af_heart", 1, { durations: false });
    expect(r.audio.dims).toEqual([1, expectedSamples(r.ids, 1)]);
  });

  test("kokoro-onnx naming, with and without durations", async () => {
    const s = await session({ naming: "kokoro-onnx" });
    expect(s.inputNames).toEqual(["tokens", "style", "speed"]);
    expect(s.outputNames).toEqual(["audio", "durations"]);
    const r = await synth([5, 6, 7, 8], "am_adam", 1.5, { naming: "kokoro-onnx" });
    expect(r.audio.dims).toEqual([1, expectedSamples(r.ids, 1.5)]);
    expect(r.durations!.dims).toEqual([1, 6]);
    const s2 = await session({ naming: "kokoro-onnx", durations: false });
    expect(s2.outputNames).toEqual(["audio"]);
  });

  test("waveformRank 1 gives a flat [N] waveform", async () => {
    const r = await synth([3, 4], "af_heart", 1, { waveformRank: 1 });
    expect(r.audio.dims).toEqual([expectedSamples(r.ids, 1)]);
  });

  test("rejects batch != 1 and more than 512 tokens (like Kokoro)", async () => {
    const s = await session();
    const style = new ort.Tensor("float32", new Float32Array(256), [1, 256]);
    const speed = new ort.Tensor("float32", Float32Array.from([1]), [1]);
    const ids = (n: number, b = 1) => new ort.Tensor("int64", new BigInt64Array(n * b).fill(1n), [b, n]);
    await expect(s.run({ input_ids: ids(2, 2), style, speed })).rejects.toThrow();
    await expect(s.run({ input_ids: ids(513), style, speed })).rejects.toThrow();
    const ok = await s.run({ input_ids: ids(512), style, speed });
    expect(ok.waveform!.dims[1]).toBe(expectedSamples(new Array(512).fill(1), 1));
    // maxTokens: 0 lifts the limit.
    const free = await session({ maxTokens: 0 });
    const big = await free.run({ input_ids: ids(600), style, speed });
    expect(big.waveform!.dims[1]).toBe(expectedSamples(new Array(600).fill(1), 1));
  });
});

describe("durations and waveform", () => {
  test("durations follow expectedDurations over many speeds (incl. half-way rounding)", async () => {
    const rand = rng(7);
    const speeds = [0.25, 0.3, 0.5, 0.6, 0.75, 0.8, 1, 1.2, 1.25, 1.5, 2, 2.5, 3, 3.3, 4];
    for (let i = 0; i < 20; i++) speeds.push(0.25 + rand() * 3.75);
    const tokens = Array.from({ length: 30 }, (_, i) => i + 1);
    for (const speed of speeds) {
      const r = await synth(tokens, "af_heart", speed);
      const d = Array.from(r.durations!.data as BigInt64Array, Number);
      expect(d).toEqual(expectedDurations(r.ids, speed));
      expect(r.audio.dims[1]).toBe(d.reduce((a, b) => a + b, 0) * FRAME_SAMPLES);
    }
    expect(expectedDurations([0, 1, 2, 3], 1)).toEqual([3, 4, 5, 3]);
    expect(expectedDurations([0, 1, 2], 2)).toEqual([2, 2, 2]); // 1.5 -> 2, 2 -> 2, 2.5 -> 2 (half to even)
    expect(expectedDurations([0, 1, 2], 4)).toEqual([1, 1, 1]);
    expect(expectedDurations([0, 1, 2], 0.25)).toEqual([12, 16, 20]);
  });

  test("waveform matches the TS reference rendering; pads are exact silence", async () => {
    const rand = rng(11);
    for (const [voice, speed] of [
      ["af_heart", 1],
      ["am_liam", 0.25],
      ["bf_emma", 4],
      ["zf_xiaoyi", 1.7],
    ] as const) {
      const tokens = randomTokens(rand, 25);
      const r = await synth(tokens, voice, speed);
      const got = r.audio.data as Float32Array;
      const want = renderReference(r.ids, r.style, speed);
      expect(got.length).toBe(want.length);
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
      expect(maxDiff).toBeLessThan(1e-3);
      const lead = expectedDurations([0], speed)[0]! * FRAME_SAMPLES;
      expect(got.subarray(0, lead).every((v) => v === 0)).toBe(true);
      expect(got.subarray(got.length - lead).every((v) => v === 0)).toBe(true);
      let peak = 0;
      for (const v of got) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThan(0.45);
      expect(peak).toBeLessThanOrEqual(0.5);
    }
  });

  test("handles 510 tokens at speed 0.25", async () => {
    const tokens = randomTokens(rng(3), 510);
    const r = await synth(tokens, "af_heart", 0.25);
    expect(r.audio.dims[1]).toBe(expectedSamples(r.ids, 0.25));
  });
});

/** Exact bytes of a tensor's data (its typed array may be a view into a larger buffer). */
function bytes(t: ort.Tensor): Buffer {
  const a = t.data as Float32Array;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe("determinism and work", () => {
  test("model bytes are deterministic and differ by option", () => {
    const a = generateFixtureModel({ work: 3 });
    expect(Buffer.compare(a, generateFixtureModel({ work: 3 }))).toBe(0);
    expect(Buffer.compare(a, generateFixtureModel({ work: 2 }))).not.toBe(0);
    expect(a.length).toBeLessThan(64 * 1024);
    expect(() => generateFixtureModel({ work: -1 })).toThrow();
    expect(() => generateFixtureModel({ work: 1.5 })).toThrow();
  });

  test("same inputs give identical output bytes, across runs and sessions", async () => {
    const tokens = randomTokens(rng(5), 40);
    const a = await synth(tokens, "af_bella", 1.1);
    const b = await synth(tokens, "af_bella", 1.1);
    const fresh = await ort.InferenceSession.create(generateFixtureModel());
    const c = await fresh.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from(a.ids.map(BigInt)), [1, a.ids.length]),
      style: new ort.Tensor("float32", a.style, [1, 256]),
      speed: new ort.Tensor("float32", Float32Array.from([1.1]), [1]),
    });
    expect(bytes(a.audio).equals(bytes(b.audio))).toBe(true);
    expect(bytes(a.audio).equals(bytes(c.waveform!))).toBe(true);
  });

  test("work does not change the audio (bit-identical)", async () => {
    const tokens = randomTokens(rng(9), 20);
    const base = await synth(tokens, "am_echo", 1);
    const worked = await synth(tokens, "am_echo", 1, { work: 2 });
    expect(bytes(worked.audio).equals(bytes(base.audio))).toBe(true);
  });

  test("the dead compute never goes subnormal (its cost stays in proportion to work)", async () => {
    // Subnormal floats cost the CPU many times a normal multiply: a chain that decays into them made
    // work 45 cost ~15x work 30 on one machine. Run the real graph with its last work layer as an output.
    const graph = buildGraph(resolveOptions({ work: 60 }));
    const last = graph.nodes.filter((n) => n.opType === "Tanh").at(-1)!.outputs[0]!;
    graph.outputs.push({ name: last, elemType: DataType.FLOAT, shape: ["rows", 2048] });
    const bytes = encodeModel({
      irVersion: IR_VERSION,
      opsetVersion: OPSET_VERSION,
      producerName: "test",
      producerVersion: "0",
      graph,
    });
    const s = await ort.InferenceSession.create(bytes);
    const ids = [0, ...randomTokens(rng(3), 30), 0];
    const out = await s.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      style: new ort.Tensor("float32", new Float32Array(256), [1, 256]),
      speed: new ort.Tensor("float32", Float32Array.from([1]), [1]),
    });
    const x = out[last]!.data as Float32Array;
    let subnormal = 0;
    for (const v of x) if (v !== 0 && Math.abs(v) < 1.1754944e-38) subnormal++;
    expect(x.length).toBeGreaterThan(0);
    expect(subnormal).toBe(0);
    expect(x.some((v) => v === 0)).toBe(false);
    await s.release();
  });

  test("style shift is bounded by 8 Hz", () => {
    expect(styleShiftHz(new Float32Array(256).fill(10))).toBeLessThanOrEqual(8);
    expect(styleShiftHz(new Float32Array(256).fill(-10))).toBeGreaterThanOrEqual(-8);
    expect(styleShiftHz(new Float32Array(256))).toBe(0);
  });
});

describe("files", () => {
  test("writeFixtureModel / ensureFixtureModel / cli", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fixture-model-"));
    try {
      const p = writeFixtureModel(join(dir, "a", "b", "m.onnx"), { naming: "kokoro-onnx" });
      expect(Buffer.compare(readFileSync(p), generateFixtureModel({ naming: "kokoro-onnx" }))).toBe(0);

      const e = ensureFixtureModel(dir, { naming: "kokoro-onnx", durations: false, work: 4 });
      expect(e).toBe(join(dir, "fixture-kokoro-onnx-nod-w4.onnx"));
      const mtime = statSync(e).mtimeMs;
      expect(ensureFixtureModel(dir, { naming: "kokoro-onnx", durations: false, work: 4 })).toBe(e);
      expect(statSync(e).mtimeMs).toBe(mtime); // untouched when up to date
      writeFileSync(e, "stale");
      ensureFixtureModel(dir, { naming: "kokoro-onnx", durations: false, work: 4 });
      expect(
        Buffer.compare(
          readFileSync(e),
          generateFixtureModel({ naming: "kokoro-onnx", durations: false, work: 4 }),
        ),
      ).toBe(0);
      expect(ensureFixtureModel(dir)).toBe(join(dir, "fixture-onnx-community-d-w0.onnx"));

      const out = join(dir, "cli", "x.onnx");
      const proc = Bun.spawnSync([
        process.execPath,
        new URL("../src/cli.ts", import.meta.url).pathname,
        "--out",
        out,
        "--naming",
        "kokoro-onnx",
        "--no-durations",
        "--work",
        "2",
      ]);
      expect(proc.exitCode).toBe(0);
      expect(proc.stdout.toString()).toContain(out);
      expect(
        Buffer.compare(
          readFileSync(out),
          generateFixtureModel({ naming: "kokoro-onnx", durations: false, work: 2 }),
        ),
      ).toBe(0);
      const bad = Bun.spawnSync([
        process.execPath,
        new URL("../src/cli.ts", import.meta.url).pathname,
        "--work",
        "x",
      ]);
      expect(bad.exitCode).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
