import { describe, expect, test } from "bun:test";
import { FIRST_MESSAGE_SAMPLES, floatToInt16, shapeChunk, splitPcm } from "../src/seams";

describe("seams", () => {
  test("16-bit conversion is exactly Math.round of the clamped, scaled sample (NaN is silence)", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2.4 - 1.2;
    const edges = [
      0,
      -0,
      1,
      -1,
      1.5,
      -1.5,
      NaN,
      Infinity,
      -Infinity,
      0.5 / 32767,
      -0.5 / 32768,
      -5042.5 / 32768,
      1e-9,
      -1e-9,
    ];
    const src = Float32Array.from([...edges, ...Array.from({ length: 200_000 }, rnd)]);
    const ref = (s: number) => {
      const c = Math.max(-1, Math.min(1, s));
      return Number.isNaN(c) ? 0 : c < 0 ? Math.round(c * 32768) : Math.round(c * 32767);
    };
    const out = floatToInt16(src, new Int16Array(src.length));
    for (let i = 0; i < src.length; i++)
      if (out[i] !== (ref(src[i]!) | 0))
        throw new Error(`sample ${i} (${src[i]}): ${out[i]} != ${ref(src[i]!)}`);
    expect(out[2]).toBe(32767);
    expect(out[3]).toBe(-32768);
  });

  test("a chunk is trimmed of its silence, faded, and followed by exactly the pause asked for", () => {
    const raw = new Float32Array(24_000);
    for (let i = 6000; i < 18_000; i++) raw[i] = 0.5 * Math.sin(i / 5);
    const shaped = shapeChunk(raw, 0.3, 24_000);
    const margin = 120; // 5 ms
    expect(shaped.trimStart).toBe(6000 - margin);
    expect(shaped.speechSamples).toBeGreaterThanOrEqual(12_000);
    expect(shaped.speechSamples).toBeLessThanOrEqual(12_000 + 2 * margin);
    expect(shaped.pcm.length).toBe(shaped.speechSamples + 7200);
    expect(shaped.pcm[0]).toBe(0); // faded in
    expect(Array.from(shaped.pcm.subarray(shaped.speechSamples)).every((x) => x === 0)).toBe(true);
  });

  test("split: pieces are in order, cover the audio exactly, fit the message size; a first chunk leads with a short piece", () => {
    const pcm = Int16Array.from({ length: 300_000 }, (_, i) => i % 30_000);
    for (const first of [undefined, FIRST_MESSAGE_SAMPLES]) {
      const parts = splitPcm(pcm, 256 * 1024, first);
      expect(parts.every((p) => p.byteLength <= 256 * 1024)).toBe(true);
      const joined = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) joined.set(p, (o += p.length) - p.length);
      expect(joined).toEqual(pcm);
      expect(parts[0]!.length).toBe(first ?? 128 * 1024);
    }
    expect(splitPcm(pcm.subarray(0, 100), 256 * 1024, FIRST_MESSAGE_SAMPLES).map((p) => p.length)).toEqual([
      100,
    ]);
    expect(splitPcm(new Int16Array(0), 1024, FIRST_MESSAGE_SAMPLES).map((p) => p.length)).toEqual([0]);
  });
});
