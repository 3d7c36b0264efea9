/**
 * Where to cut the token stream into chunks. Pure: works on the token length
 * and break strength after each unit (a spoken word with its punctuation).
 *
 * Breaks rank: forced (pause tag, paragraph) > sentence end > clause (:;) >
 * comma/dash > any word boundary. A chunk aims at `target` tokens: the best
 * break between half the target and the target wins, then the best break
 * nearest the target up to `stretch` times the target (1.25 later; 2 for the short first chunk), then the last word boundary that fits. It
 * never passes `hardMax`. The targets themselves ramp (`chunkTarget`).
 */

/** How much larger a chunk may be than the one before it, by default (see chunkTarget). */
export const DEFAULT_CHUNK_GROWTH = 3;

/**
 * Target tokens of chunk `index`: the first chunk's target, then each chunk up
 * to `growth` times the one before, until the later-chunk target. Kokoro makes
 * a chunk in a fraction (its real-time factor, 0.15-0.2 on a CPU) of the time
 * the chunk plays, so a chunk a few times longer than the one before is ready
 * before that one has played: a short first chunk keeps first audio fast and
 * the ramp keeps the next ones from running late.
 */
export function chunkTarget(
  index: number,
  first: number,
  later: number,
  growth = DEFAULT_CHUNK_GROWTH,
): number {
  if (index === 0) return first;
  return Math.max(1, Math.min(later, Math.round(first * Math.max(1, growth) ** index)));
}

export interface CutUnit {
  /** Tokens of this unit, not counting the space before it. */
  tokens: number;
  /** 0 none, 1 comma/dash, 2 clause, 3 sentence, 4 forced (pause or paragraph). */
  brk: number;
}

/**
 * End (exclusive) of the chunk starting at `from`, or undefined when more
 * units are needed to decide (`final`: no more units will come).
 */
export function chooseCut(
  units: readonly CutUnit[],
  from: number,
  target: number,
  hardMax: number,
  final: boolean,
  stretch = 1.5,
): number | undefined {
  if (from >= units.length) return undefined;
  const limit = Math.max(target, Math.floor(target * stretch));
  const cands: Array<{ end: number; tokens: number; brk: number }> = [];
  let tokens = 0;
  let reachedLimit = false;
  for (let j = from; j < units.length; j++) {
    const add = units[j]!.tokens + (j > from && units[j]!.tokens > 0 ? 1 : 0);
    if (tokens + add > hardMax) {
      reachedLimit = true;
      break;
    }
    tokens += add;
    const brk = j === units.length - 1 && final ? 4 : units[j]!.brk;
    cands.push({ end: j + 1, tokens, brk });
    if (brk >= 4 && tokens <= limit) return j + 1;
    if (brk >= 4 || tokens >= limit) {
      reachedLimit = true;
      break;
    }
  }
  if (!cands.length) return from + 1; // one unit longer than hardMax: it goes alone (callers cap unit size)
  if (!reachedLimit && !final) return undefined;
  const half = target / 2;
  const pick = (list: typeof cands, score: (c: (typeof cands)[number]) => number) =>
    list.reduce<(typeof cands)[number] | undefined>(
      (best, c) => (!best || score(c) > score(best) ? c : best),
      undefined,
    );
  const inRange = cands.filter((c) => c.brk >= 1 && c.tokens >= half && c.tokens <= target);
  const a = pick(inRange, (c) => c.brk * 10_000 + c.tokens);
  if (a) return a.end;
  const punct = cands.filter((c) => c.brk >= 1 && c.tokens <= limit);
  const b = pick(punct, (c) => c.brk * 10_000 - Math.abs(c.tokens - target));
  if (b) return b.end;
  const fits = cands.filter((c) => c.tokens <= target);
  return (fits[fits.length - 1] ?? cands[0]!).end;
}
