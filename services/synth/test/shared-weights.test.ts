// One copy of the weights (issue 23): sessions run from a mapped ORT-format copy give the same audio,
// byte for byte, as sessions loading the .onnx file, on both lanes and with runs in flight at once.

import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFixtureModel } from "@kokoro-edge/fixture-model";
import { OnnxEngine } from "../src/engine/onnx-engine";

const dir = mkdtempSync(join(tmpdir(), "shared-weights-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const load = (path: string, sharedWeights: boolean, ortTimeoutMs?: number) =>
  OnnxEngine.load(path, {
    ...(ortTimeoutMs ? { ortTimeoutMs } : {}),
    threads: 1,
    urgentThreads: 1,
    intraOpThreads: 1,
    interOpThreads: 1,
    sharedWeights,
    name: "fixture",
    model: "fixture",
    modelVersion: "1",
    sha256: sha256(path),
  });

const style = new Float32Array(256).map((_, i) => Math.sin(i) * 0.1);
const inputs = Array.from({ length: 12 }, (_, k) =>
  Array.from({ length: 20 + k * 7 }, (_, i) => 1 + ((i * 31 + k) % 177)),
);
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("shared weights", () => {
  test("both lanes give byte-identical audio to separate sessions, also with concurrent runs", async () => {
    const path = ensureFixtureModel(dir, { weightsMb: 4 });
    const plain = await load(path, false);
    const shared = await load(path, true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".ort"))).toHaveLength(1);
    try {
      const expected: { audio: Float32Array; durations?: Int32Array }[] = [];
      for (const tokens of inputs) expected.push(await plain.infer({ tokens }, style, 1));
      // All at once, alternating lanes: the two sessions on the shared mapping run side by side.
      const got = await Promise.all(
        inputs.map((tokens, i) => shared.infer({ tokens }, style, 1, i % 2 ? "urgent" : "normal")),
      );
      got.forEach((g, i) => {
        expect(bytes(g.audio).equals(bytes(expected[i]!.audio))).toBe(true);
        expect(g.durations).toEqual(expected[i]!.durations);
      });
    } finally {
      await plain.close();
      await shared.close();
    }
  });

  test("a second load reuses the ORT copy", async () => {
    const path = ensureFixtureModel(dir, { weightsMb: 2 });
    const a = await load(path, true);
    await a.close();
    const before = readdirSync(dir).filter((f) => f.endsWith(".ort")).length;
    const b = await load(path, true);
    await b.close();
    expect(readdirSync(dir).filter((f) => f.endsWith(".ort")).length).toBe(before);
  });

  test("a damaged ORT copy: each thread loads the model itself, says why, and the audio is the same", async () => {
    const path = ensureFixtureModel(dir, { weightsMb: 3 });
    const first = await load(path, true);
    expect(first.sharedWeights).toBe(true);
    const tokens = inputs[3]!;
    const expected = await first.infer({ tokens }, style, 1);
    await first.close();
    const copy = readdirSync(dir).find((f) => f.includes("-3mb.") && f.endsWith(".ort"))!;
    writeFileSync(join(dir, copy), "not a model");
    const second = await load(path, true);
    try {
      expect(second.sharedWeights).toBe(false);
      expect(second.sharedWeightsError).toBeString();
      const got = await second.infer({ tokens }, style, 1, "urgent");
      expect(bytes(got.audio).equals(bytes(expected.audio))).toBe(true);
    } finally {
      await second.close();
    }
  });

  test("a conversion that does not finish in time is killed: the threads load the model themselves, no copy is left", async () => {
    const own = mkdtempSync(join(tmpdir(), "shared-weights-timeout-"));
    try {
      const path = ensureFixtureModel(own, { weightsMb: 3 });
      const started = performance.now();
      // 1 ms: the child process cannot even start onnxruntime in that time.
      const engine = await load(path, true, 1);
      try {
        expect(engine.sharedWeights).toBe(false);
        expect(engine.sharedWeightsError).toContain("did not finish within 1 ms");
        expect(performance.now() - started).toBeLessThan(60_000);
        const got = await engine.infer({ tokens: inputs[2]! }, style, 1);
        expect(got.audio.length).toBeGreaterThan(0);
      } finally {
        await engine.close();
      }
      // Neither the copy nor its temporary file is left behind.
      expect(readdirSync(own).filter((f) => f.includes(".ort"))).toEqual([]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
