// The sized fixture (weightsMb): the file carries the weights, onnxruntime holds them (resident memory
// grows by about their size), every run reads them, and the audio is the default fixture's, bit for bit.

import { describe, expect, test } from "bun:test";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { ensureFixtureModel, fixtureFileName, generateFixtureModel } from "../src/index.ts";
import { fixtureWeights, PAGE_WEIGHTS, weightElements } from "../src/graph.ts";
import { randomTokens, rng, synth } from "./helpers.ts";

const bytes = (t: ort.Tensor) => Buffer.from((t.data as Float32Array).buffer);

describe("weightsMb", () => {
  test("the model file grows by the weights and names its size", () => {
    const base = generateFixtureModel().length;
    const sized = generateFixtureModel({ weightsMb: 8 }).length;
    expect(sized - base).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(sized - base).toBeLessThan(8 * 1024 * 1024 + 4096); // the weights and a few small nodes
    expect(fixtureFileName({ weightsMb: 8 })).toBe("fixture-onnx-community-d-w0-8mb.onnx");
    expect(fixtureFileName()).toBe("fixture-onnx-community-d-w0.onnx");
    expect(() => generateFixtureModel({ weightsMb: -1 })).toThrow();
    expect(() => generateFixtureModel({ weightsMb: 1.5 })).toThrow();
  });

  test("weights are deterministic, finite and without zero pages", () => {
    const a = new Float32Array(fixtureWeights(weightElements(1)).buffer);
    const b = new Float32Array(fixtureWeights(weightElements(1)).buffer);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    for (let page = 0; page < a.length; page += 1024) {
      const slice = a.subarray(page, page + 1024);
      expect(slice.some((x) => x !== 0)).toBe(true);
      expect(slice.every((x) => Number.isFinite(x) && x >= -1 && x < 1)).toBe(true);
    }
  });

  test("the audio and durations are bit-identical to the default fixture", async () => {
    for (const seed of [1, 2, 3]) {
      const tokens = randomTokens(rng(seed), 40 + seed * 30);
      const base = await synth(tokens, "af_heart", 1);
      const sized = await synth(tokens, "af_heart", 1, { weightsMb: 4 });
      expect(bytes(sized.audio).equals(bytes(base.audio))).toBe(true);
      expect(sized.durations!.data).toEqual(base.durations!.data);
    }
  });

  test("a run reads the weights: a weight turned NaN reaches the audio", async () => {
    // Token 5 gathers weights[(5 * 2654435761) mod count]: poison exactly that one.
    const count = weightElements(4);
    const model = generateFixtureModel({ weightsMb: 4 });
    const weights = fixtureWeights(count);
    const at = Buffer.from(model).indexOf(Buffer.from(weights.subarray(0, 64)));
    expect(at).toBeGreaterThan(0);
    const idx = Number((5n * 2654435761n) % BigInt(count));
    new DataView(model.buffer, model.byteOffset).setFloat32(at + idx * 4, NaN, true);
    const s = await ort.InferenceSession.create(model, { logSeverityLevel: 4 });
    const run = async (token: number) => {
      const ids = BigInt64Array.from([0n, BigInt(token), 0n]);
      const out = await s.run({
        input_ids: new ort.Tensor("int64", ids, [1, 3]),
        style: new ort.Tensor("float32", new Float32Array(256), [1, 256]),
        speed: new ort.Tensor("float32", Float32Array.of(1), [1]),
      });
      return out.waveform!.data as Float32Array;
    };
    expect((await run(6)).some((x) => Number.isNaN(x))).toBe(false);
    expect((await run(5)).every((x) => Number.isNaN(x))).toBe(true);
    await s.release();
  });

  test("a run touches every page of the weights: a weight in the page sweep turned NaN reaches the audio", async () => {
    // Tokens [0, t, 0] sweep one weight per 4 KiB page at offset (t * 2654435761) mod 1024.
    const count = weightElements(4);
    const model = generateFixtureModel({ weightsMb: 4 });
    const at = Buffer.from(model).indexOf(Buffer.from(fixtureWeights(count).subarray(0, 64)));
    const offset = (t: number) => Number((BigInt(t) * 2654435761n) % BigInt(PAGE_WEIGHTS));
    const page = 777;
    new DataView(model.buffer, model.byteOffset).setFloat32(
      at + (page * PAGE_WEIGHTS + offset(9)) * 4,
      NaN,
      true,
    );
    const s = await ort.InferenceSession.create(model, { logSeverityLevel: 4 });
    const run = async (token: number) => {
      const out = await s.run({
        input_ids: new ort.Tensor("int64", BigInt64Array.from([0n, BigInt(token), 0n]), [1, 3]),
        style: new ort.Tensor("float32", new Float32Array(256), [1, 256]),
        speed: new ort.Tensor("float32", Float32Array.of(1), [1]),
      });
      return out.waveform!.data as Float32Array;
    };
    expect(offset(6)).not.toBe(offset(9));
    expect((await run(6)).some((x) => Number.isNaN(x))).toBe(false);
    expect((await run(9)).every((x) => Number.isNaN(x))).toBe(true);
    await s.release();
  });

  test("ensureFixtureModel writes the sized file once", () => {
    const dir = mkdtempSync(join(tmpdir(), "fixture-weights-"));
    try {
      const path = ensureFixtureModel(dir, { weightsMb: 2 });
      expect(readFileSync(path).length).toBeGreaterThan(2 * 1024 * 1024);
      expect(ensureFixtureModel(dir, { weightsMb: 2 })).toBe(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
