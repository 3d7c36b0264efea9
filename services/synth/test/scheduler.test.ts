import { describe, expect, test } from "bun:test";
import { chunkSchedule, JUST_IN_TIME_MARGIN_MS, planAhead } from "../src/deadline";
import { DeadlineScheduler, HOLD_RECHECK_MS, type SchedulerOptions, type StreamPlan } from "../src/scheduler";
import { InferencePace } from "../src/pace";

const tick = () => new Promise((r) => setTimeout(r, 5));
/** One normal slot and one first-chunk slot, streams not contended (nothing waits for its start time). */
const twoLanes = (more: Partial<SchedulerOptions> = {}) =>
  new DeadlineScheduler({ concurrency: 1, urgentSlots: 1, contended: () => false, ...more });

/** A job that runs until released, recording its start (by default with its lane). */
function heldJob(label = (name: string, lane: string) => `${name} starts (${lane})`) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return {
    release,
    task: (log: string[], name: string) => async (lane: string) => {
      log.push(label(name, lane));
      await done;
    },
  };
}

/**
 * On one slot, behind a 20 ms chunk: a later chunk (expected 1 s) due in
 * `laterDueInMs` and a new stream's first chunk (expected 800 ms). The order
 * they ran in.
 */
async function firstOrLater(opts: Partial<SchedulerOptions>, laterDueInMs: number): Promise<string[]> {
  const s = new DeadlineScheduler({ concurrency: 1, contended: () => false, ...opts });
  const order: string[] = [];
  const now = Date.now();
  const blocker = s.run(0, undefined, () => new Promise<void>((r) => setTimeout(r, 20)));
  const jobs = [
    s.run(now + laterDueInMs, undefined, async () => void order.push("later chunk"), { expectedMs: 1000 }),
    s.run(now, undefined, async () => void order.push("first chunk"), { first: true, expectedMs: 800 }),
  ];
  await Promise.all([blocker, ...jobs]);
  return order;
}

test("earliest deadline first: a new stream's first chunk overtakes chunks that are ahead of playback", async () => {
  const s = new DeadlineScheduler({ concurrency: 1 });
  const order: string[] = [];
  let release!: () => void;
  const blocker = s.run(0, undefined, () =>
    new Promise<void>((r) => (release = r)).then(() => void order.push("running")),
  );
  const now = Date.now();
  const later = [
    s.run(now + 8000, undefined, async () => void order.push("A chunk 3 (due in 8 s)")),
    s.run(now + 3000, undefined, async () => void order.push("B chunk 2 (due in 3 s)")),
  ];
  const first = s.run(now, undefined, async () => void order.push("C chunk 0 (due now)"));
  expect(s.depth).toBe(3);
  release();
  await Promise.all([blocker, ...later, first]);
  expect(order).toEqual([
    "running",
    "C chunk 0 (due now)",
    "B chunk 2 (due in 3 s)",
    "A chunk 3 (due in 8 s)",
  ]);
});

test("equal deadlines keep arrival order; concurrency slots are all used", async () => {
  const s = new DeadlineScheduler({ concurrency: 2 });
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
  const s = new DeadlineScheduler({ concurrency: 1 });
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
  const s = new DeadlineScheduler({ concurrency: 1, contended: () => true });
  const order: string[] = [];
  const now = Date.now();
  const later = s.run(now + 5000, undefined, async () => void order.push("later chunk"), {
    notBefore: now + 150,
  });
  await tick();
  expect(s.depth).toBe(1); // not started although the slot is free
  const first = s.run(now, undefined, async () => void order.push("first chunk"));
  await Promise.all([later, first]);
  expect(order).toEqual(["first chunk", "later chunk"]);
  expect(Date.now() - now).toBeGreaterThanOrEqual(140);
});

test("with one stream alone, nothing waits", async () => {
  const s = new DeadlineScheduler({ concurrency: 1, contended: () => false });
  const t0 = Date.now();
  await s.run(t0 + 60_000, undefined, async () => {}, { notBefore: t0 + 60_000 });
  expect(Date.now() - t0).toBeLessThan(100);
});

describe("chunk deadlines", () => {
  const base = { epochNow: 100_000, audioBefore: 0, startOffset: 0, expectedMs: 400, justInTime: true };

  test("a first chunk is due now and starts at once; a later chunk is due when the audio before it runs out", () => {
    expect(chunkSchedule(base)).toEqual({ first: true, deadline: 100_000, notBefore: undefined });
    // 3 s of this stream's audio sent, playback began at 99 000: it runs dry at 102 000
    const later = chunkSchedule({ ...base, playbackStart: 99_000, audioBefore: 3 * 24_000 });
    expect(later.deadline).toBe(102_000);
    expect(later.notBefore).toBe(102_000 - 2 * 400 - JUST_IN_TIME_MARGIN_MS);
    expect(
      chunkSchedule({ ...base, playbackStart: 99_000, audioBefore: 3 * 24_000, justInTime: false }).notBefore,
    ).toBeUndefined();
  });

  test("a resumed stream counts its audio from where it resumed", () => {
    const r = chunkSchedule({
      ...base,
      playbackStart: 99_000,
      startOffset: 10 * 24_000,
      audioBefore: 12 * 24_000,
    });
    expect(r.deadline).toBe(101_000);
  });

  test("a stream's plan says when its chunks not queued yet will be due and may start, as chunkSchedule will", () => {
    // 3 s of audio before them; chunks of 2 s and 4 s, expected to take 400 and 700 ms
    const plan = planAhead(
      [
        { expectedMs: 400, audioS: 2 },
        { expectedMs: 700, audioS: 4 },
      ],
      3,
      true,
    );
    expect(plan.map((c) => c.dueMs)).toEqual([3000, 5000]);
    const queued = chunkSchedule({
      ...base,
      playbackStart: 99_000,
      audioBefore: 5 * 24_000,
      expectedMs: 700,
    });
    expect(99_000 + plan[1]!.dueMs).toBe(queued.deadline);
    expect(99_000 + plan[1]!.notBeforeMs!).toBe(queued.notBefore!);
    expect(planAhead([{ expectedMs: 400, audioS: 2 }], 3, false)[0]!.notBeforeMs).toBeUndefined();
  });

  test("the request's own deadline wins when it is sooner", () => {
    expect(
      chunkSchedule({ ...base, playbackStart: 99_000, audioBefore: 3 * 24_000, requestDeadline: 100_500 })
        .deadline,
    ).toBe(100_500);
  });
});

describe("playback guard", () => {
  const run = (guard: boolean, laterDueInMs: number) => firstOrLater({ guardPlayback: guard }, laterDueInMs);

  test("a first chunk overtakes a later chunk that can afford to wait for it", async () => {
    // due in 5 s, runs 1 s: it can start as late as 3.75 s from now; the first chunk is done in 0.8 s
    expect(await run(true, 5000)).toEqual(["first chunk", "later chunk"]);
  });

  test("but not one that would then miss its playback deadline", async () => {
    // due in 2 s, runs 1 s: it must start within 0.75 s, before the first chunk would finish
    expect(await run(true, 2000)).toEqual(["later chunk", "first chunk"]);
    // plain EDF would have let the stream underrun
    expect(await run(false, 2000)).toEqual(["first chunk", "later chunk"]);
  });
});

describe("first-chunk lane", () => {
  const held = () => heldJob();

  test("a first chunk starts at once in its own lane while a later chunk holds the normal one", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const later = held();
    const running = s.run(Date.now() + 5000, undefined, later.task(log, "later chunk"), { expectedMs: 1000 });
    await tick();
    await s.run(Date.now(), undefined, async (lane) => void log.push(`first chunk starts (${lane})`), {
      first: true,
      expectedMs: 300,
    });
    expect(log).toEqual(["later chunk starts (normal)", "first chunk starts (urgent)"]);
    later.release();
    await running;
  });

  test("first chunks queue for their lane in order and never run in the normal lane; later chunks never take theirs", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const a = held();
    const firstA = s.run(Date.now(), undefined, a.task(log, "first A"), { first: true });
    await tick();
    const now = Date.now();
    const jobs = [
      s.run(now, undefined, async (lane) => void log.push(`first B starts (${lane})`), { first: true }),
      s.run(now + 10_000, undefined, async (lane) => void log.push(`later chunk starts (${lane})`)),
    ];
    await tick();
    // B waits for the first-chunk lane although the normal lane is free; the later chunk takes the normal lane
    expect(log).toEqual(["first A starts (urgent)", "later chunk starts (normal)"]);
    a.release();
    await Promise.all([firstA, ...jobs]);
    expect(log).toEqual([
      "first A starts (urgent)",
      "later chunk starts (normal)",
      "first B starts (urgent)",
    ]);
  });

  /**
   * A (runs 1 s, due in `runningDueInMs`) holds the normal lane; B (due in 0.8 s, runs 0.3 s) would finish
   * behind it at 1.3 s. In the first-chunk lane B stalls A for its 0.3 s. Who started before A ended
   * (`before`), and in all (`after`).
   */
  const blockedBehindRunning = async ({ guard = true, runningDueInMs = 10_000 } = {}) => {
    const s = twoLanes({ guardPlayback: guard });
    const log: string[] = [];
    const a = held();
    const running = s.run(Date.now() + runningDueInMs, undefined, a.task(log, "A"), { expectedMs: 1000 });
    await tick();
    const b = s.run(Date.now() + 800, undefined, async (lane) => void log.push(`B starts (${lane})`), {
      expectedMs: 300,
    });
    await tick();
    const before = [...log];
    a.release();
    await Promise.all([running, b]);
    return { before, after: log };
  };

  test("a later chunk stuck behind a running chunk due after it takes the first-chunk lane (only while the guard is on)", async () => {
    expect((await blockedBehindRunning({ guard: true })).before).toEqual([
      "A starts (normal)",
      "B starts (urgent)",
    ]);
    expect((await blockedBehindRunning({ guard: false })).before).toEqual(["A starts (normal)"]);
  });

  test("but not when the running chunk, stalled while it runs there, would then be at risk", async () => {
    // A due in 10 s has time to spare either way
    expect((await blockedBehindRunning({ runningDueInMs: 10_000 })).before).toEqual([
      "A starts (normal)",
      "B starts (urgent)",
    ]);
    // A due in 1.4 s keeps its margin (0.25 s) only if B waits: B waits in line, and runs after A
    const tight = await blockedBehindRunning({ runningDueInMs: 1400 });
    expect(tight.before).toEqual(["A starts (normal)"]);
    expect(tight.after).toEqual(["A starts (normal)", "B starts (normal)"]);
  });

  test("a waiting first chunk takes the lane before a blocked later chunk, which follows it there", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const a = held();
    const x = held();
    const running = [
      s.run(Date.now() + 10_000, undefined, a.task(log, "A"), { expectedMs: 1000 }),
      s.run(Date.now(), undefined, x.task(log, "first chunk X"), { first: true, expectedMs: 50 }),
    ];
    await tick();
    const now = Date.now();
    const jobs = [
      s.run(now + 800, undefined, async (lane) => void log.push(`B starts (${lane})`), { expectedMs: 300 }),
      s.run(now, undefined, async (lane) => void log.push(`first chunk Y starts (${lane})`), {
        first: true,
        expectedMs: 100,
      }),
    ];
    await tick();
    x.release(); // the lane frees while both wait
    await Promise.all(jobs);
    expect(log).toEqual([
      "A starts (normal)",
      "first chunk X starts (urgent)",
      "first chunk Y starts (urgent)",
      "B starts (urgent)",
    ]);
    a.release();
    await Promise.all(running);
  });

  test("but not behind a running chunk due before it, and not when it would miss its deadline even from now", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const a = held();
    const running = s.run(Date.now() + 500, undefined, a.task(log, "A"), { expectedMs: 1000 });
    await tick();
    const now = Date.now();
    const jobs = [
      s.run(now + 800, undefined, async (lane) => void log.push(`B starts (${lane})`), { expectedMs: 300 }), // A is due first: EDF keeps it
    ];
    await tick();
    expect(log).toEqual(["A starts (normal)"]);
    a.release();
    await Promise.all([running, ...jobs]);
    const s2 = twoLanes();
    const log2: string[] = [];
    const a2 = held();
    const running2 = s2.run(Date.now() + 10_000, undefined, a2.task(log2, "A"), { expectedMs: 1000 });
    await tick();
    const c = s2.run(Date.now() + 200, undefined, async (lane) => void log2.push(`C starts (${lane})`), {
      expectedMs: 300,
    }); // too late even from now
    await tick();
    expect(log2).toEqual(["A starts (normal)"]);
    a2.release();
    await Promise.all([running2, c]);
  });

  test("a first chunk waits while a running later chunk could not afford to be slowed by it", async () => {
    const run = async (guard: boolean) => {
      const s = twoLanes({ guardPlayback: guard });
      const log: string[] = [];
      const later = held();
      // due in 1.2 s, expected to run 800 ms: 400 ms of slack, less than the first chunk's 500 ms
      const running = s.run(Date.now() + 1200, undefined, later.task(log, "later chunk"), {
        expectedMs: 800,
      });
      const first = s.run(
        Date.now(),
        undefined,
        async (lane) => void log.push(`first chunk starts (${lane})`),
        { first: true, expectedMs: 500 },
      );
      await tick();
      const before = [...log];
      later.release();
      await Promise.all([running, first]);
      return before;
    };
    expect(await run(true)).toEqual(["later chunk starts (normal)"]);
    expect(await run(false)).toEqual(["later chunk starts (normal)", "first chunk starts (urgent)"]);
  });

  test("a later chunk makes no progress while first chunks take the cores: the guard counts what it has left", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const later = held();
    const t0 = Date.now();
    // expected to run 300 ms, due in 1 s
    const running = s.run(t0 + 1000, undefined, later.task(log, "later chunk"), { expectedMs: 300 });
    // a first chunk takes the cores for 200 ms: the later chunk still has all of its 300 ms to go
    await s.run(Date.now(), undefined, () => new Promise<void>((r) => setTimeout(r, 200)), {
      first: true,
      expectedMs: 200,
    });
    // a second first chunk of 300 ms would push it to ~t0 + 800 ms, inside the margin before its deadline
    // (counting its 200 ms of wall time as progress, the guard would see it done by t0 + 600 ms and let it run)
    const second = s.run(
      Date.now(),
      undefined,
      async (lane) => void log.push(`second first chunk starts (${lane})`),
      { first: true, expectedMs: 300 },
    );
    await tick();
    expect(log).toEqual(["later chunk starts (normal)"]);
    later.release();
    await Promise.all([running, second]);
    expect(log).toEqual(["later chunk starts (normal)", "second first chunk starts (urgent)"]);
  });

  test("but only for maxHold times its own run time: then it runs, though the later chunk still holds its lane", async () => {
    // held for at most 0.2 x its expected 500 ms
    const s = twoLanes({ maxHold: 0.2 });
    const log: string[] = [];
    const later = held();
    const running = s.run(Date.now() + 1200, undefined, later.task(log, "later chunk"), { expectedMs: 800 });
    const first = s.run(
      Date.now(),
      undefined,
      async (lane) => void log.push(`first chunk starts (${lane})`),
      { first: true, expectedMs: 500 },
    );
    await tick();
    expect(log).toEqual(["later chunk starts (normal)"]); // held: the later chunk could not afford it
    await first; // no other event happens: the hold runs out by itself
    expect(log).toEqual(["later chunk starts (normal)", "first chunk starts (urgent)"]);
    later.release();
    await running;
  });

  test("counts how long the engine was busy in any lane, overlapping runs once and idle time not at all", async () => {
    const s = twoLanes();
    const sleep = (ms: number) => () => new Promise<void>((r) => setTimeout(r, ms));
    expect(s.busy()).toBe(0);
    const t0 = performance.now();
    await Promise.all([
      s.run(Date.now() + 1000, undefined, sleep(80)),
      s.run(Date.now(), undefined, sleep(40), { first: true }), // overlaps the later chunk
    ]);
    const busy = s.busy();
    expect(busy).toBeGreaterThanOrEqual(75);
    expect(busy).toBeLessThanOrEqual(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50)); // idle
    expect(s.busy()).toBe(busy);
  });

  test("counts how long the first-chunk lane was busy, overlapping runs once", async () => {
    const s = new DeadlineScheduler({ concurrency: 1, urgentSlots: 2, contended: () => false });
    const before = s.urgentBusy();
    const t0 = performance.now();
    const sleep = (ms: number) => () => new Promise<void>((r) => setTimeout(r, ms));
    await Promise.all([
      s.run(Date.now(), undefined, sleep(60), { first: true }),
      s.run(Date.now(), undefined, sleep(60), { first: true }),
    ]);
    const busy = s.urgentBusy() - before;
    await s.run(Date.now(), undefined, sleep(30)); // the normal lane does not count
    expect(busy).toBeGreaterThanOrEqual(55);
    expect(busy).toBeLessThanOrEqual(performance.now() - t0);
    expect(s.urgentBusy() - before).toBeCloseTo(busy, 5);
  });
});

describe("over capacity", () => {
  const run = (laterDueInMs: number) => firstOrLater({ guardPlayback: true }, laterDueInMs);

  test("a first chunk overtakes a later chunk that misses its deadline whatever the order, but not one it would make miss", async () => {
    // due in 0.9 s, runs 1 s: that stream falls behind anyway (over capacity), so the new stream need not wait
    expect(await run(900)).toEqual(["first chunk", "later chunk"]);
    // due in 2 s: it makes it alone (done at 1.02 s) but not after the first chunk (1.82 s, past 2 s less the margin)
    expect(await run(2000)).toEqual(["later chunk", "first chunk"]);
  });

  test("a later chunk on time without the first chunk, but inside its margin, is not late anyway: the first chunk waits", async () => {
    // due in 1.2 s, runs 1 s: on time alone, with under 200 ms to spare (less than the 250 ms margin);
    // after the first chunk it would end at 1.82 s, 620 ms late
    expect(await run(1200)).toEqual(["later chunk", "first chunk"]);
  });

  test("later chunks are weighed together: each could wait for the first chunk alone, not both in a row", async () => {
    const s = new DeadlineScheduler({ concurrency: 1, contended: () => false, guardPlayback: true });
    const order: string[] = [];
    const now = Date.now();
    const blocker = s.run(0, undefined, () => new Promise<void>((r) => setTimeout(r, 20)));
    // A then B, 500 ms each, due at 1.2 s and 1.3 s: after a 300 ms first chunk B would finish at 1.3 s, past its deadline less the margin
    const jobs = [
      s.run(now + 1200, undefined, async () => void order.push("A"), { expectedMs: 500 }),
      s.run(now + 1300, undefined, async () => void order.push("B"), { expectedMs: 500 }),
      s.run(now, undefined, async () => void order.push("first chunk"), { first: true, expectedMs: 300 }),
    ];
    await Promise.all([blocker, ...jobs]);
    expect(order[0]).toBe("A");
  });
});

describe("inference pace", () => {
  test("first and later chunks are timed apart", () => {
    const p = new InferencePace(20);
    p.observe(100, 1000, true); // 10 ms per token
    p.observe(100, 3000, false); // a later chunk at 30 ms per token
    expect(p.expectedMs(50, true)).toBeCloseTo((20 * 0.5 + 10 * 0.5) * 50);
    expect(p.expectedMs(50, false)).toBeCloseTo((20 * 0.5 + 30 * 0.5) * 50);
  });

  test("learns how much speech a token makes, to say when chunks not made yet will be due", () => {
    const p = new InferencePace();
    const start = p.speechSeconds(100);
    expect(start).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) p.observeSpeech(100, 9); // 90 ms of speech per token
    expect(p.speechSeconds(100)).toBeCloseTo(9, 1);
    p.observeSpeech(0, 5); // nothing to learn from
    p.observeSpeech(10, Number.NaN);
    expect(p.speechSeconds(100)).toBeCloseTo(9, 1);
  });
});

describe("stream plans: the guard weighs what running streams will ask for next", () => {
  /** A job that runs until released, logged by its name alone. */
  const held = () => heldJob((name) => name);
  const first = (s: DeadlineScheduler, log: string[], expectedMs: number, plan?: StreamPlan) =>
    s.run(Date.now(), undefined, async () => void log.push("first chunk"), {
      first: true,
      expectedMs,
      ...(plan ? { plan } : {}),
    });

  test("a first chunk waits for a running stream's next chunk that is not queued yet, and runs once it is done", async () => {
    const run = async (tracked: boolean) => {
      const s = twoLanes();
      const log: string[] = [];
      // A stream between two chunks: its next one (500 ms) is due 900 ms from now.
      const plan: StreamPlan = {
        playbackStart: Date.now(),
        sentMs: 5000,
        ahead: [{ expectedMs: 500, dueMs: 900 }],
      };
      const untrack = tracked ? s.track(plan) : () => {};
      // A 300 ms first chunk now would finish that chunk at 800 ms, inside the 250 ms margin.
      const f = first(s, log, 300);
      await tick();
      const before = [...log];
      // The stream queues its chunk (its plan moves on: nothing after it), runs it, and is done.
      plan.ahead = [];
      const next = held();
      const queued = s.run(plan.playbackStart! + 900, undefined, next.task(log, "next chunk"), {
        expectedMs: 500,
        plan,
      });
      await tick();
      const during = [...log];
      next.release();
      await Promise.all([f, queued]);
      untrack();
      return { before, during, after: log };
    };
    const guarded = await run(true);
    expect(guarded.before).toEqual([]); // held for a chunk the queue does not hold yet
    expect(guarded.during).toEqual(["next chunk"]);
    expect(guarded.after).toEqual(["next chunk", "first chunk"]);
    // Blind to the plan, it runs at once, and the stream's next chunk would finish late.
    expect((await run(false)).before).toEqual(["first chunk"]);
  });

  test("a new stream waits rather than start where its own second chunk would run dry, unless nothing else competes", async () => {
    // Its second chunk (500 ms) is due 400 ms after its first audio.
    const own = (): StreamPlan => ({ sentMs: 0, ahead: [{ expectedMs: 500, dueMs: 400 }] });
    const s = twoLanes();
    const log: string[] = [];
    const other = held();
    // Another stream's chunk holds the normal lane for 600 ms more.
    const running = s.run(Date.now() + 5000, undefined, other.task(log, "other stream's chunk"), {
      expectedMs: 600,
    });
    const plan = own();
    const untrack = s.track(plan);
    const f = first(s, log, 100, plan);
    await tick();
    expect(log).toEqual(["other stream's chunk"]); // waiting would let its second chunk start sooner
    other.release();
    await Promise.all([running, f]);
    expect(log).toEqual(["other stream's chunk", "first chunk"]);
    untrack();
    // Alone, waiting helps nothing: it starts at once though its second chunk will be late.
    const alone = twoLanes();
    const log2: string[] = [];
    const plan2 = own();
    alone.track(plan2);
    await first(alone, log2, 100, plan2);
    expect(log2).toEqual(["first chunk"]);
  });

  test("a stream whose reader fell behind does not hold new streams: its next chunk is not due before its reader needs it", async () => {
    const run = async (sentMs: number) => {
      const s = twoLanes();
      const log: string[] = [];
      // Started 10 s ago; its next chunk (500 ms) starts 6 s into its audio. Its reader has taken `sentMs` of it.
      s.track({ playbackStart: Date.now() - 10_000, sentMs, ahead: [{ expectedMs: 500, dueMs: 6000 }] });
      // Another stream's chunk (300 ms) is queued, due in 1.1 s: alone, or after a 300 ms first chunk, it makes it.
      const blocker = held();
      const running = s.run(Date.now() + 60_000, undefined, blocker.task(log, "blocker"), { expectedMs: 0 });
      const other = s.run(Date.now() + 1100, undefined, async () => void log.push("other stream's chunk"), {
        expectedMs: 300,
      });
      const f = first(s, log, 300);
      await tick();
      const before = [...log];
      blocker.release();
      await Promise.all([running, other, f]);
      return before;
    };
    // Its reader has taken 3 s: it cannot need the chunk sooner than 3 s from now.
    expect(await run(3000)).toEqual(["blocker", "first chunk"]);
    // A reader that has taken all 6 s before it needs it now: it runs first, and a first chunk would push
    // the other stream's chunk past its margin.
    expect(await run(6000)).toEqual(["blocker"]);
  });

  test("a held first chunk is weighed again while nothing starts or ends (a stream's plan may change or end)", async () => {
    const s = twoLanes();
    const log: string[] = [];
    const plan: StreamPlan = {
      playbackStart: Date.now(),
      sentMs: 5000,
      ahead: [{ expectedMs: 500, dueMs: 900 }],
    };
    const untrack = s.track(plan);
    const t0 = Date.now();
    const f = first(s, log, 300);
    await tick();
    expect(log).toEqual([]);
    untrack(); // the stream ends (its client left) without a word to the scheduler
    await f;
    expect(Date.now() - t0).toBeLessThan(HOLD_RECHECK_MS + 200);
  });
});

/**
 * A stream runs a 300 ms chunk due in `runningDueMs`; its next one (300 ms) is due `secondDueMs` from
 * now. A first chunk (100 ms) that may wait up to 2 x its run time arrives: does it start at once?
 */
async function firstChunkStartsAtOnce(
  secondDueMs: number,
  runningDueMs = 600,
  opts: Partial<SchedulerOptions> = {},
): Promise<boolean> {
  const s = new DeadlineScheduler({
    concurrency: 1,
    urgentSlots: 1,
    contended: () => false,
    maxHold: 2,
    ...opts,
  });
  const log: string[] = [];
  const plan: StreamPlan = {
    playbackStart: Date.now(),
    sentMs: 5000,
    ahead: [{ expectedMs: 300, dueMs: secondDueMs }],
  };
  s.track(plan);
  let release!: () => void;
  const running = s.run(Date.now() + runningDueMs, undefined, () => new Promise<void>((r) => (release = r)), {
    expectedMs: 300,
    plan,
  });
  const f = s.run(Date.now(), undefined, async () => void log.push("first chunk"), {
    first: true,
    expectedMs: 100,
  });
  await tick();
  const atOnce = log.length > 0;
  release();
  await Promise.all([running, f]);
  return atOnce;
}

test("a first chunk does not wait where waiting as long as it may would still make a stream late: over capacity here and now", async () => {
  // Due at 750 ms: it makes it if the first chunk runs after the running chunk (at 300-400 ms): the first chunk waits.
  expect(await firstChunkStartsAtOnce(750)).toBe(false);
  // Due at 650 ms: that chunk is late even if the first chunk waits its longest (200 ms): it does not wait at all.
  expect(await firstChunkStartsAtOnce(650)).toBe(true);
});

test("that it would be late anyway is judged at the expected run times, not with the room for error", async () => {
  // At 1.2 x: the running chunk ends at 360 ms, or 460 ms if the first chunk runs now (inside the running
  // chunk's 250 ms margin: it must wait, unless waiting is futile); after the longest wait the next chunk
  // would end at 820 ms. At the expected times it ends at 700 ms.
  const padded = { costFactor: 1.2 };
  // Due at 750 ms: late only with the room for error: the first chunk waits.
  expect(await firstChunkStartsAtOnce(750, 650, padded)).toBe(false);
  // Due at 680 ms: late at the expected times too: it does not wait.
  expect(await firstChunkStartsAtOnce(680, 650, padded)).toBe(true);
});

test("with room for the pace's error, a first chunk waits where exact estimates would just let it through", async () => {
  // Due in 2.1 s: after the first chunk it would be done at ~1.82 s, just inside its 250 ms margin;
  // at 1.2 times its expected time, not.
  expect(await firstOrLater({ costFactor: 1 }, 2100)).toEqual(["first chunk", "later chunk"]);
  expect(await firstOrLater({ costFactor: 1.2 }, 2100)).toEqual(["later chunk", "first chunk"]);
});
