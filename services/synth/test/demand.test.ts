import { expect, test } from "bun:test";
import { DemandMeter } from "../src/demand";

test("demand is the engine time asked per second over the window; old arrivals leave it", () => {
  const m = new DemandMeter(10_000);
  expect(m.rate(0)).toBe(0);
  m.add(0, 3000); // a stream that will take 3 s of engine time
  m.add(4000, 6000);
  expect(m.rate(5000)).toBeCloseTo(0.9);
  expect(m.rate(10_001)).toBeCloseTo(0.6); // the first left the window
  expect(m.rate(14_001)).toBe(0);
  m.add(20_000, 0); // nothing to do: not counted
  m.add(20_000, Number.NaN);
  expect(m.rate(20_000)).toBe(0);
});

test("over capacity shows as a rate above 1 however the work is later done", () => {
  const m = new DemandMeter(10_000);
  // 8 listeners, each asking for 1.8 s of engine time every 11 s
  for (let t = 0; t < 60_000; t += 11_000 / 8) m.add(t, 1800);
  expect(m.rate(60_000)).toBeGreaterThan(1.2);
  expect(m.rate(60_000)).toBeLessThan(1.45);
});
