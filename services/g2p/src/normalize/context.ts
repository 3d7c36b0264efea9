/**
 * The reading state every language's rules share: the scanned pieces, a
 * cursor over them, and the items said so far. Rules read the text through it
 * and say words through it, so spans stay right whatever the language.
 *
 * `next()` / `take()` are the one look-ahead: a rule that reads the run after
 * its own ("$3 million", "5 km", "December 5") peeks with `next()` and, when it
 * uses that run, consumes it with `take()`, which also says the run's trailing
 * marks.
 */
import { PUNCT } from "./punct";
import { scan, type Piece } from "./scan";
import type { Item, NormalizeOptions, WordItem } from "./types";

/** Marks said in a row at most; the rest of a longer run is silent (see markRunFull). */
export const MAX_SPOKEN_MARKS = 4;

export interface Run {
  start: number;
  end: number;
  text: string;
}

/** The run after the current one, split into its core and the marks after it ("5," -> "5" + ","). */
export interface NextRun extends Run {
  core: string;
  trailing: string;
}

export class Context {
  readonly out: Item[] = [];
  readonly pieces: Piece[];
  /** Index of the next piece to read. */
  i = 0;
  /** Mostly capitals: a shouted text, where "LOVE" is a word and not letters. */
  readonly shouting: boolean;

  constructor(
    readonly text: string,
    readonly opts: NormalizeOptions,
    from = 0,
    to = text.length,
  ) {
    this.pieces = scan(text, from, to);
    const letters = text.slice(0, 5000).replace(/[^\p{L}]/gu, "");
    const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
    this.shouting = letters.length >= 12 && upper / letters.length > 0.7;
  }

  // ---- saying ---------------------------------------------------------------

  /** Words said for `text[start, end)`; no words makes the span silent. */
  word(start: number, end: number, words: string[]): void {
    if (words.length) this.out.push({ kind: "word", start, end, words });
    else this.out.push({ kind: "silent", start, end });
  }

  /** `opening`: a straight quote at the start of a word opens (attaches to the next word). */
  punct(start: number, end: number, ch: string, opening = false): void {
    const p = PUNCT[ch];
    if (p && !this.markRunFull(start))
      this.out.push({
        kind: "punct",
        start,
        end,
        ph: p.ph,
        brk: p.brk,
        ...(p.opening || opening ? { opening: true } : {}),
      });
    else this.out.push({ kind: "silent", start, end });
  }

  /**
   * Whether MAX_SPOKEN_MARKS marks already stand right before `start`: past that
   * a run of marks ("!!!!!!", a word and 600 commas) is silent, so no run of
   * punctuation can outgrow Kokoro's 510-token context or be read out mark by mark.
   */
  private markRunFull(start: number): boolean {
    let n = 0;
    let at = start;
    for (let k = this.out.length - 1; k >= 0; k--) {
      const o = this.out[k]!;
      if (o.end !== at) break;
      if (o.kind === "punct") n++;
      else if (o.kind !== "silent") break;
      at = o.start;
    }
    return n >= MAX_SPOKEN_MARKS;
  }

  /** A sentence end that has no character of its own (the period of "etc." said as an abbreviation). */
  sentenceEnd(at: number): void {
    this.out.push({ kind: "punct", start: at, end: at, ph: ".", brk: 3 });
  }

  /** The marks after a word (",", "!)", "..."), each with its span from `start`. */
  marks(start: number, marks: string): void {
    for (let k = 0; k < marks.length; k++) {
      if (marks.slice(k, k + 3) === "...") {
        if (this.markRunFull(start + k))
          this.out.push({ kind: "silent", start: start + k, end: start + k + 3 });
        else this.out.push({ kind: "punct", start: start + k, end: start + k + 3, ph: "…", brk: 3 });
        k += 2;
      } else this.punct(start + k, start + k + 1, marks[k]!);
    }
  }

  // ---- looking ahead ----------------------------------------------------------

  /** The `k`-th run after the current one, when nothing but spaces separates them. */
  peekRun(k = 0): Run | undefined {
    const p = this.pieces[this.i + k];
    return p?.kind === "run" ? p : undefined;
  }

  /** The next run with its trailing marks split off. */
  next(k = 0): NextRun | undefined {
    const r = this.peekRun(k);
    if (!r) return undefined;
    const { core, trailing } = splitTrailing(r.text);
    return { start: r.start, end: r.end, text: r.text, core, trailing };
  }

  /**
   * Reads `next` as part of the current rule: says `words` for its first
   * `used` characters (its core by default), a sentence end when asked, then
   * the marks after. Returns those marks.
   */
  take(next: NextRun, words: string[], used = next.core.length, endsSentence = false): string {
    this.i++;
    const rest = next.text.slice(used);
    this.word(next.start, next.start + used, words);
    if (endsSentence) this.sentenceEnd(next.start + used);
    this.marks(next.start + used, rest);
    return rest;
  }

  // ---- looking back -------------------------------------------------------------

  /** The previous spoken word (lowercase) in this clause, for context rules. */
  prevWord(): string | undefined {
    return this.recentWords(1)[0];
  }

  /** Up to `n` spoken words (lowercase) before this point in the clause, the nearest first. */
  recentWords(n: number): string[] {
    const words: string[] = [];
    for (let j = this.out.length - 1; j >= 0 && words.length < n; j--) {
      const it = this.out[j]!;
      if (it.kind === "word") {
        for (let k = it.words.length - 1; k >= 0 && words.length < n; k--)
          words.push(it.words[k]!.toLowerCase());
      } else if ((it.kind === "punct" && it.brk >= 2) || it.kind === "pause") break;
    }
    return words;
  }

  /** The item just said, when it is a word. */
  prevWordItem(): WordItem | undefined {
    const it = this.out[this.out.length - 1];
    return it?.kind === "word" ? it : undefined;
  }

  /** The input text of the item just said, when it is a word ("" otherwise). */
  prevText(): string {
    const prev = this.prevWordItem();
    return prev ? this.text.slice(prev.start, prev.end) : "";
  }

  /** Does a line break stand between the item just said and `start` (a new line reads like a new sentence)? */
  lineBreakBefore(start: number): boolean {
    const prev = this.out[this.out.length - 1];
    return this.text.slice(prev ? prev.end : 0, start).includes("\n");
  }

  /** The last word item said, however far back. */
  lastWordItem(): WordItem | undefined {
    for (let j = this.out.length - 1; j >= 0; j--) {
      const it = this.out[j]!;
      if (it.kind === "word") return it;
    }
    return undefined;
  }

  /** Is the previous item the end of a sentence (or nothing)? */
  atSentenceStart(): boolean {
    for (let j = this.out.length - 1; j >= 0; j--) {
      const it = this.out[j]!;
      if (it.kind === "silent" || (it.kind === "punct" && it.brk === 0)) continue;
      return it.kind === "pause" || (it.kind === "punct" && it.brk === 3);
    }
    return true;
  }
}

/** "5," -> core "5", trailing ","; "Dec." -> "Dec" + "." */
export function splitTrailing(text: string): { core: string; trailing: string } {
  const m = /^(.*?)([.,;:!?…"”’')\]}»।॥]*)$/su.exec(text)!;
  return { core: m[1]!, trailing: m[2]! };
}
