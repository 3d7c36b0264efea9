/** Where chunks are cut: pure rules on token counts and break strengths. */
import { expect, test } from "bun:test";
import { chooseCut, chunkTarget, type CutUnit } from "../src/chunk";
import { phonemizeText } from "../src/engine";
import { resources } from "./shared";

const u = (tokens: number, brk = 0): CutUnit => ({ tokens, brk });

test("prefers a sentence end between half the target and the target", () => {
  const units = [u(10), u(10, 1), u(10), u(10, 3), u(10), u(10, 1), u(10), u(10), u(10), u(10)];
  // cumulative with spaces: 10, 21, 32, 43, 54, 65 ...
  expect(chooseCut(units, 0, 50, 510, true)).toBe(4);
});

test("a forced break (pause, paragraph) ends the chunk when it fits", () => {
  const units = [u(10), u(10, 4), u(10), u(10, 3)];
  expect(chooseCut(units, 0, 200, 510, true)).toBe(2);
});

test("without punctuation, cuts at the last word that fits the target", () => {
  const units = Array.from({ length: 20 }, () => u(5));
  const cut = chooseCut(units, 0, 30, 510, true)!;
  expect(cut).toBe(5); // 5 + 4 spaces + 4*5 = 29 tokens
});

test("asks for more units until it can decide, never over hardMax", () => {
  const units = Array.from({ length: 5 }, () => u(20));
  expect(chooseCut(units, 0, 200, 510, false)).toBeUndefined();
  const many = Array.from({ length: 100 }, () => u(20));
  const cut = chooseCut(many, 0, 400, 510, false)!;
  expect(cut * 21 - 1).toBeLessThanOrEqual(510);
});

test("a comma near the target beats a tiny sentence at the start", () => {
  const units = [
    u(3, 3),
    ...Array.from({ length: 8 }, (_, i) => u(10, i === 6 ? 1 : 0)),
    ...Array.from({ length: 10 }, () => u(10)),
  ];
  // sentence after 3 tokens (below half of 100); a comma at 80 tokens
  const cut = chooseCut(units, 0, 100, 510, true, 1.25)!;
  expect(cut).toBe(8);
});

test("chunk targets ramp from the short first chunk to the later-chunk target", () => {
  expect([0, 1, 2, 3, 4].map((i) => chunkTarget(i, 15, 200, 3))).toEqual([15, 45, 135, 200, 200]);
  expect([0, 1, 2].map((i) => chunkTarget(i, 30, 200, 100))).toEqual([30, 200, 200]); // a steep growth: no ramp
  expect([0, 1, 5].map((i) => chunkTarget(i, 40, 20, 3))).toEqual([40, 20, 20]); // a first chunk longer than the rest
});

test("a long text's chunks grow: each is at most the ramp's target (stretch included) until the later-chunk size", async () => {
  const text =
    "It was a bright cold day in April and the clocks were striking thirteen while Winston Smith slipped quickly through the glass doors of Victory Mansions though not quickly enough to prevent a swirl of gritty dust from entering along with him. ".repeat(
      6,
    );
  const r = await phonemizeText(
    text,
    { language: "en-us", firstChunkTokens: 15, chunkTokens: 200, chunkGrowth: 3 },
    await resources(),
  );
  const sizes = r.chunks.map((c) => c.tokens.length);
  expect(sizes.length).toBeGreaterThan(4);
  expect(sizes[0]!).toBeLessThanOrEqual(30);
  expect(sizes[1]!).toBeLessThanOrEqual(Math.floor(45 * 1.25));
  expect(sizes[2]!).toBeLessThanOrEqual(Math.floor(135 * 1.25));
  // past the ramp chunks are about the later-chunk size again
  expect(Math.max(...sizes.slice(3, -1))).toBeGreaterThan(135);
  expect(sizes[1]!).toBeGreaterThan(sizes[0]!);
  expect(sizes[2]!).toBeGreaterThan(sizes[1]!);
});
