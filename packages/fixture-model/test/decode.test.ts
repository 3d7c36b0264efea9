import { describe, expect, test } from "bun:test";
import { decodeTokens, renderReference, SAMPLE_RATE, styleShiftHz } from "../src/index.ts";
import { concat, fade, randomTokens, rng, synth, toInt16, trim, voiceStyle } from "./helpers.ts";

describe("decodeTokens on model output", () => {
  for (const speed of [0.25, 1, 4]) {
    test(`recovers random sequences with repeats at speed ${speed}`, async () => {
      const rand = rng(100 + speed * 8);
      for (const voice of ["af_heart", "am_liam", "if_sara"]) {
        const tokens = randomTokens(rand, speed === 0.25 ? 40 : 80);
        tokens.push(1, 177, 177, 1); // extremes of the tone range, repeated
        const r = await synth(tokens, voice, speed);
        const d = decodeTokens(r.audio.data as Float32Array);
        expect(d.tokens).toEqual(tokens);
        expect(d.shiftHz).toBeCloseTo(styleShiftHz(r.style), 1);
        expect(d.segments.length).toBe(tokens.length);
      }
    });
  }

  test("segments follow the token timing", async () => {
    const tokens = [7, 7, 7, 50, 120];
    const r = await synth(tokens, "af_heart", 1);
    const d = decodeTokens(r.audio.data as Float32Array);
    const durations = Array.from(r.durations!.data as BigInt64Array, Number);
    let start = durations[0]! * 600;
    d.segments.forEach((seg, i) => {
      const end = start + durations[i + 1]! * 600;
      expect(seg.startSample).toBeGreaterThanOrEqual(start - 100);
      expect(seg.endSample).toBeLessThanOrEqual(end + 100);
      expect(seg.startSample - start).toBeLessThan((end - start) / 3);
      expect(end - seg.endSample).toBeLessThan((end - start) / 3);
      start = end;
    });
  });

  test("different voices give different shifts", async () => {
    const tokens = randomTokens(rng(1), 30);
    const shifts: number[] = [];
    for (const voice of ["af_heart", "am_liam", "af_nicole", "if_sara", "bf_emma"]) {
      const r = await synth(tokens, voice, 1);
      const d = decodeTokens(r.audio.data as Float32Array);
      expect(d.tokens).toEqual(tokens);
      expect(Math.abs(d.shiftHz)).toBeLessThan(8);
      shifts.push(d.shiftHz);
    }
    const sorted = [...shifts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThan(0.5);
  });
});

describe("decodeTokens after platform processing", () => {
  test("trim + 5 ms fades + inserted silences + int16 + concatenation of chunks", async () => {
    const rand = rng(42);
    const plan = [
      { voice: "af_heart", speed: 1 },
      { voice: "am_liam", speed: 4 },
      { voice: "bf_emma", speed: 0.25 },
      { voice: "af_heart", speed: 1.3 },
      { voice: "if_sara", speed: 4 },
    ];
    const expected: number[] = [];
    const parts: Float32Array[] = [];
    for (const [i, { voice, speed }] of plan.entries()) {
      const tokens = randomTokens(rand, speed === 0.25 ? 12 : 30);
      if (i > 0) tokens[0] = expected[expected.length - 1]!; // same token across a chunk boundary
      expected.push(...tokens);
      const r = await synth(tokens, voice, speed);
      const chunk = fade(trim(r.audio.data as Float32Array, 0.01, 2 + rand() * 3), 5);
      if (i > 0) parts.push(new Float32Array(i === 2 ? 0 : Math.round(rand() * 0.3 * SAMPLE_RATE)));
      parts.push(chunk);
    }
    const pcm = toInt16(concat(parts));
    const d = decodeTokens(pcm);
    expect(d.tokens).toEqual(expected);
  });

  test("aggressive trimming of a speed-4 chunk (short 25 ms tokens)", async () => {
    const tokens = [9, 9, 100, 100, 100, 3];
    const r = await synth(tokens, "af_sky", 4);
    const x = fade(trim(r.audio.data as Float32Array, 0.05, 4), 5);
    expect(decodeTokens(toInt16(x)).tokens).toEqual(tokens);
  });

  test("silence and empty input decode to no tokens", () => {
    expect(decodeTokens(new Float32Array(0)).tokens).toEqual([]);
    expect(decodeTokens(new Int16Array(48000)).tokens).toEqual([]);
    const noise = new Int16Array(24000).map((_, i) => (i % 3) - 1); // +-1 LSB
    expect(decodeTokens(noise).tokens).toEqual([]);
  });
});

describe("decodeTokens on reference renderings (no onnxruntime)", () => {
  test("other sample rates via the sampleRate option (48 kHz linear upsampling)", () => {
    const tokens = randomTokens(rng(8), 40);
    const x = renderReference([0, ...tokens, 0], voiceStyle("af_heart", 40), 1);
    const up = new Float32Array(x.length * 2);
    for (let i = 0; i < x.length; i++) {
      up[2 * i] = x[i]!;
      up[2 * i + 1] = (x[i]! + (x[i + 1] ?? 0)) / 2;
    }
    expect(decodeTokens(up, { sampleRate: 48000 }).tokens).toEqual(tokens);
  });

  test("every token id decodes, at the extreme style shifts", () => {
    const all = Array.from({ length: 177 }, (_, i) => i + 1);
    for (const level of [-10, 10]) {
      const style = new Float32Array(256).fill(level); // shift ~ +-8 Hz (the tanh limit)
      const d = decodeTokens(renderReference([0, ...all, 0], style, 2));
      expect(d.tokens).toEqual(all);
      expect(d.shiftHz).toBeCloseTo(styleShiftHz(style), 1);
    }
  });
});
