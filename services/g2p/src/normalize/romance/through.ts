/** Saying one reading across two runs ("25 €", "R$ 10,50"): one word item from the first run through the second's core. */
import type { Context, NextRun } from "../context";

/** Consumes `next` and says `words` for `text[start, next's core end)`, then next's trailing marks. */
export function sayThrough(ctx: Context, start: number, next: NextRun, words: string[]): void {
  ctx.i++;
  const end = next.start + next.core.length;
  ctx.word(start, end, words);
  ctx.marks(end, next.trailing);
}
