import { expect, test } from "bun:test";
import { DeadlineScheduler } from "../src/scheduler";

const tick = () => new Promise((r) => setTimeout(r, 5));

test("earliest deadline first: a new stream's first chunk overtakes chunks that are ahead of playback", async () => {
  const s = new DeadlineScheduler(1);
  const order: string[] = [];
  let release!: () => void;
  const blocker = s.run(0, undefined, () => new Promise<void>((r) => (release = r)).then(() => void order.push("running")));
  const now = Date.now();
  const later = [s.run(now + 8000, undefined, async () => void order.push("A chunk 3 (due in 8 s)")), s.run(now + 3000, undefined, async () => void order.push("B chunk 2 (due in 3 s)"))];
  const first = s.run(now, undefined, async () => void order.push("C chunk 0 (due now)"));
  expect(s.depth).toBe(3);
  release();
  await Promise.all([blocker, ...later, first]);
  expect(order).toEqual(["running", "C chunk 0 (due now)", "B chunk 2 (due in 3 s)", "A chunk 3 (due in 8 s)"]);
});

test("equal deadlines keep arrival order; concurrency slots are all used", async () => {
  const s = new DeadlineScheduler(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      s.run(1000, undefined, async () => {
        active++;
        peak = Math.max(peak, active);
        await tick();
        order.push(i);
        active--;
      }),
    ),
  );
  expect(peak).toBe(2);
  expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
});

test("a cancelled request leaves the queue without running", async () => {
  const s = new DeadlineScheduler(1);
  let release!: () => void;
  const blocker = s.run(0, undefined, () => new Promise<void>((r) => (release = r)));
  const ac = new AbortController();
  let ran = false;
  const waiting = s.run(1, ac.signal, async () => void (ran = true));
  ac.abort(new Error("client gone"));
  await expect(waiting).rejects.toThrow("client gone");
  expect(s.depth).toBe(0);
  release();
  await blocker;
  expect(ran).toBe(false);
});

test("while contended, a chunk that is not due soon waits for its start time and leaves the slot to a first chunk", async () => {
  const s = new DeadlineScheduler(1, () => true);
  const order: string[] = [];
  const now = Date.now();
  const later = s.run(now + 5000, undefined, async () => void order.push("later chunk"), { notBefore: now + 150 });
  await tick();
  expect(s.depth).toBe(1); // not started although the slot is free
  const first = s.run(now, undefined, async () => void order.push("first chunk"));
  await Promise.all([later, first]);
  expect(order).toEqual(["first chunk", "later chunk"]);
  expect(Date.now() - now).toBeGreaterThanOrEqual(140);
});

test("with one stream alone, nothing waits", async () => {
  const s = new DeadlineScheduler(1, () => false);
  const t0 = Date.now();
  await s.run(t0 + 60_000, undefined, async () => {}, { notBefore: t0 + 60_000 });
  expect(Date.now() - t0).toBeLessThan(100);
});
