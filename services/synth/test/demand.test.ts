import { expect, test } from "bun:test";
import { DemandMeter } from "../src/demand";

test("demand is the engine time asked per second over the window; old arrivals leave it", () => {
  const m = new DemandMeter(10_000);
  expect(m.rate(0)).toBe(0);
  m.add(0, 3000); // a stream that will take 3 s of engine time
  m.add(4000, 6000);
  expect(m.rate(5000)).toBeCloseTo(9 / 5); // arriving for 5 s (the least span counted)
  expect(m.rate(8000)).toBeCloseTo(9 / 8); // for 8 s
  expect(m.rate(9_999)).toBeCloseTo(0.9); // a whole window
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

test("a worker that was idle says it is over capacity within seconds, not once a whole window has filled", () => {
  const m = new DemandMeter(20_000);
  // 8 listeners starting within 8 s, each asking for 1.5 s of engine time every 10 s: 1.2 engines
  for (let i = 0; i < 8; i++) m.add(100_000 + i * 1000, 1500);
  expect(m.rate(108_000)).toBeGreaterThan(1.1); // measured over the 10 s least span
  // the same arrivals to a worker that has had streams for a while are weighed over the whole window
  // (the stream 23 s ago has left it, but it began the spell)
  const busy = new DemandMeter(20_000);
  busy.add(85_000, 100);
  for (let i = 0; i < 8; i++) busy.add(100_000 + i * 1000, 1500);
  expect(busy.rate(108_000)).toBeCloseTo(12 / 20);
  // and a bunch after a quiet spell is not mistaken for overload: 5 streams at once, 1.5 s each
  const bunch = new DemandMeter(20_000);
  for (let i = 0; i < 5; i++) bunch.add(200_000 + i * 100, 1500);
  expect(bunch.rate(200_500)).toBeCloseTo(0.75);
});
