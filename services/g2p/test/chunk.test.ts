/** Where chunks are cut: pure rules on token counts and break strengths. */
import { expect, test } from "bun:test";
import { chooseCut, type CutUnit } from "../src/chunk";

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
  const units = [u(3, 3), ...Array.from({ length: 8 }, (_, i) => u(10, i === 6 ? 1 : 0)), ...Array.from({ length: 10 }, () => u(10))];
  // sentence after 3 tokens (below half of 100); a comma at 80 tokens
  const cut = chooseCut(units, 0, 100, 510, true, 1.25)!;
  expect(cut).toBe(8);
});
