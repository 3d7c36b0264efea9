/**
 * What the normal lane will do next, played forward: the scheduler's view of
 * whether a stream will fall behind. Pure: the scheduler (scheduler.ts) turns
 * its running and waiting chunks, and what each stream will still ask for
 * (its plan), into the input here.
 *
 * The lane is simulated as it runs: each free slot takes, of the chunks that
 * may start then, the one due first (earliest deadline first, no
 * pre-emption). A stream's chunks run in order: one may start only once the
 * one before it is done.
 */
import type { EpochMs } from "./clock";

/** One chunk to play forward. */
export interface ProjectedChunk {
  deadline: EpochMs;
  expectedMs: number;
  /** Not started before this time (just in time), while the lane is lazy. */
  notBefore: EpochMs;
  /** Who it is, to compare two projections (`atRisk`, `slack`). */
  key: unknown;
  /** A chunk that is queued (waiting) rather than planned: only such a chunk can be `atRisk`. */
  queued?: boolean;
}

/** A stream's chunks, in the order they must run, and when the first of them may. */
export interface ProjectedChain {
  readyAt: EpochMs;
  chunks: ProjectedChunk[];
}

export interface ProjectionInput {
  epochNow: EpochMs;
  /** When each of the lane's slots is next free. */
  slots: EpochMs[];
  chains: ProjectedChain[];
  /** Honour `notBefore`. */
  lazy: boolean;
  /** Slack a chunk must keep to count as safe (ms): `atRisk` is the first chunk to finish later than its deadline less this. */
  margin: number;
}

export interface Projection {
  /** How late (ms; negative: how early) the latest chunk would finish; -Infinity with none. */
  worst: number;
  /** The key of the first queued chunk, in running order, that would finish within `margin` of its deadline or later. */
  atRisk?: unknown;
  /** Every chunk's slack: how long before its deadline it would finish (ms; negative: how late). */
  slack: Map<unknown, number>;
}

export function project(input: ProjectionInput): Projection {
  const slots = [...input.slots];
  const heads = input.chains.map(() => 0);
  const readyAt = input.chains.map((c) => c.readyAt);
  let worst = -Infinity;
  let atRisk: unknown;
  const slack = new Map<unknown, number>();
  let left = input.chains.reduce((n, c) => n + c.chunks.length, 0);
  while (left > 0) {
    let k = 0;
    for (let m = 1; m < slots.length; m++) if (slots[m]! < slots[k]!) k = m;
    const t = slots[k]!;
    // Of the chains' next chunks, the one due first among those that may start at t; else the soonest to be startable.
    let pick = -1;
    let soonest = Infinity;
    for (let c = 0; c < heads.length; c++) {
      const chunk = input.chains[c]!.chunks[heads[c]!];
      if (!chunk) continue;
      const from = Math.max(readyAt[c]!, input.lazy ? chunk.notBefore : -Infinity);
      if (from > t) {
        soonest = Math.min(soonest, from);
        continue;
      }
      const best = pick >= 0 ? input.chains[pick]!.chunks[heads[pick]!]! : undefined;
      if (!best || chunk.deadline < best.deadline) pick = c;
    }
    if (pick < 0) {
      slots[k] = soonest; // the slot idles until a chunk may start
      continue;
    }
    const chunk = input.chains[pick]!.chunks[heads[pick]!]!;
    const finish = t + chunk.expectedMs;
    slots[k] = finish;
    readyAt[pick] = finish;
    heads[pick] = heads[pick]! + 1;
    left--;
    worst = Math.max(worst, finish - chunk.deadline);
    slack.set(chunk.key, chunk.deadline - finish);
    if (atRisk === undefined && chunk.queued && finish > chunk.deadline - input.margin) atRisk = chunk.key;
  }
  return { worst, atRisk, slack };
}
