import { describe, expect, test } from "bun:test";
import { SilenceDetector } from "../src/bus/silence";

describe("silence threshold learned from heartbeat jitter", () => {
  test("steady heartbeats: a producer is given up after a few beats, not the ceiling", () => {
    const d = new SilenceDetector({ heartbeatMs: 100, ceilingMs: 5000 });
    for (let i = 0; i < 50; i++) d.observe(100 + (i % 2 ? 5 : -5));
    expect(d.thresholdMs()).toBeGreaterThanOrEqual(300);
    expect(d.thresholdMs()).toBeLessThan(400);
  });

  test("a producer whose heartbeats come irregularly (GC pauses) gets a longer threshold, capped by the ceiling", () => {
    const d = new SilenceDetector({ heartbeatMs: 100, ceilingMs: 5000 });
    for (let i = 0; i < 50; i++) d.observe(i % 5 === 0 ? 450 : 100);
    expect(d.thresholdMs()).toBeGreaterThan(600);
    const capped = new SilenceDetector({ heartbeatMs: 100, ceilingMs: 500 });
    for (let i = 0; i < 50; i++) capped.observe(i % 5 === 0 ? 2000 : 100);
    expect(capped.thresholdMs()).toBe(500);
  });

  test("bursts of data (gaps far below a beat) say nothing about jitter", () => {
    const d = new SilenceDetector({ heartbeatMs: 100, ceilingMs: 5000 });
    const before = d.thresholdMs();
    for (let i = 0; i < 100; i++) d.observe(1);
    expect(d.thresholdMs()).toBe(before);
  });
});

test("a floor keeps a consumer whose own loop stalls from giving up after a few short beats", () => {
  const d = new SilenceDetector({ heartbeatMs: 100, ceilingMs: 5000, floorMs: 750 });
  for (let i = 0; i < 50; i++) d.observe(100);
  expect(d.thresholdMs()).toBe(750);
});
