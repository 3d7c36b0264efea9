import { describe, expect, test } from "bun:test";
import { ChunkPace, DEFAULT_HEDGE_POLICY, HedgeBudget, hedgeAt } from "../src/pipeline/hedge-policy";

const policy = { ...DEFAULT_HEDGE_POLICY, marginMs: 250, firstChunkMs: 3000 };

describe("when an overdue chunk is hedged", () => {
  test("the expected time is learned from the stream's chunks, weighted to the slow side", () => {
    const pace = new ChunkPace();
    expect(pace.expectedMs(10)).toBeUndefined();
    pace.observe(10, 100);
    expect(pace.expectedMs(20)).toBe(200);
    pace.observe(10, 50); // one fast chunk barely lowers the guess
    expect(pace.expectedMs(10)!).toBeCloseTo(90);
    pace.observe(10, 300); // a slow one raises it at once
    expect(pace.expectedMs(10)).toBe(300);
  });

  test("a client with audio buffered waits until it would run out: a slow chunk it cannot hear is not hedged", () => {
    expect(hedgeAt({ waitingSince: 1000, expectedMs: 100, audioRunsOutAt: 9000 }, policy)).toBe(9250);
  });

  test("a client whose audio has run out hedges once the chunk is past its expected time plus the margin", () => {
    expect(hedgeAt({ waitingSince: 1000, expectedMs: 100, audioRunsOutAt: 500 }, policy)).toBe(1350);
  });

  test("with no chunk measured yet, the first-chunk wait stands in for the expected time", () => {
    expect(hedgeAt({ waitingSince: 0, expectedMs: undefined, audioRunsOutAt: undefined }, policy)).toBe(3250);
  });
});

describe("the gateway's hedge budget", () => {
  test("past its limit a hedge does not start; a release gives its place back, once", () => {
    const b = new HedgeBudget(2);
    const r1 = b.take()!;
    const r2 = b.take()!;
    expect(b.take()).toBeUndefined();
    r1();
    r1(); // twice is once
    expect(b.active).toBe(1);
    expect(b.take()).toBeDefined();
    r2();
  });
});
