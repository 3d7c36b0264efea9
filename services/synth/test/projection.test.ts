import { expect, test } from "bun:test";
import { project, type ProjectedChunk, type ProjectionInput } from "../src/projection";

/** One slot free at 0, not lazy, a 250 ms margin, unless said otherwise. */
const run = (chains: ProjectionInput["chains"], more: Partial<ProjectionInput> = {}) =>
  project({ epochNow: 0, slots: [0], lazy: false, margin: 250, chains, ...more });

const chunk = (key: string, deadline: number, expectedMs: number, more: Partial<ProjectedChunk> = {}) => ({
  key,
  deadline,
  expectedMs,
  notBefore: -Infinity,
  queued: true,
  ...more,
});

test("each free slot takes the chunk due first among those that may start; a stream's chunks run in order", () => {
  const p = run([
    { readyAt: 0, chunks: [chunk("a1", 1000, 300), chunk("a2", 1200, 300)] },
    { readyAt: 0, chunks: [chunk("b1", 500, 200)] },
  ]);
  // b1 0-200, a1 200-500, a2 500-800: 300, 500 and 400 ms early
  expect(p.worst).toBe(-300);
  expect([...p.slack]).toEqual([
    ["b1", 300],
    ["a1", 500],
    ["a2", 400],
  ]);
  expect(p.atRisk).toBeUndefined();
});

test("a chunk waits for the one before it in its stream even while a slot is free", () => {
  const p = run([{ readyAt: 0, chunks: [chunk("a1", 1000, 600), chunk("a2", 700, 300)] }], {
    slots: [0, 0],
    margin: 0,
  });
  // a2 is due first, but may only start when a1 is done (600): it finishes at 900, 200 ms late
  expect(p.worst).toBe(200);
  expect(p.slack.get("a2")).toBe(-200);
});

test("a chain that is not ready yet leaves the slot to others, and the slot idles when none may start", () => {
  const p = run(
    [
      { readyAt: 500, chunks: [chunk("late-start", 700, 100)] },
      { readyAt: 0, chunks: [chunk("now", 5000, 300)] },
    ],
    { margin: 0 },
  );
  // "now" runs 0-300; the slot idles to 500; "late-start" runs 500-600
  expect(p.worst).toBe(-100);
});

test("while lazy, a chunk not due soon does not start before its time; while not, it runs at once", () => {
  const chains = [{ readyAt: 0, chunks: [chunk("jit", 2000, 100, { notBefore: 1000 })] }];
  expect(run(chains, { lazy: true }).worst).toBe(1100 - 2000);
  expect(run(chains).worst).toBe(100 - 2000);
});

test("the chunk at risk is the first queued one to finish within the margin of its deadline, never a planned one", () => {
  const p = run([
    { readyAt: 0, chunks: [chunk("planned", 300, 200, { queued: false })] },
    { readyAt: 0, chunks: [chunk("queued", 700, 300)] },
  ]);
  // planned 0-200 (100 ms inside its margin), queued 200-500 (50 ms inside it)
  expect(p.slack.get("planned")).toBe(100);
  expect(p.slack.get("queued")).toBe(200);
  expect(p.atRisk).toBe("queued");
});

test("nothing to play forward: no chunk, and the slots' times do not matter", () => {
  const p = project({ epochNow: 0, slots: [900], lazy: true, margin: 250, chains: [] });
  expect(p.worst).toBe(-Infinity);
  expect(p.slack.size).toBe(0);
});
