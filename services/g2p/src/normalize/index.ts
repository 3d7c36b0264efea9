/**
 * Written text -> spoken words, keeping for every output word the span of the
 * input it came from. Pure: the only outside knowledge is `opts.known` (does
 * the lexicon have this exact spelling).
 *
 * 1. scan.ts cuts the text into runs, pauses, inline phonemes and silent characters;
 * 2. runs.ts takes the marks off each run and asks the language whether a final period is the word's;
 * 3. the language's ordered rule table (languages.ts, then en/index.ts) says the token;
 *    rules read neighbours through context.ts.
 */
import { Context } from "./context";
import { normalizerFor } from "./languages";
import type { LanguageNormalizer } from "./rule";
import { readRun } from "./runs";
import type { Item, NormalizeOptions, WordItem } from "./types";

export type { Item, WordItem, PunctItem, SilentItem, PauseItem, NormalizeOptions, Brk } from "./types";
export type { Brk as BreakStrength } from "./types";
export { MAX_WORD_CHARS } from "./runs";
export { ordinalWord } from "./en/number-words";
export { NORMALIZERS, normalizerFor } from "./languages";
export { rule, matchRule, figureRule, type LanguageNormalizer, type Rule, type Token } from "./rule";

/** Normalises `text[from, to)` with the rules of `opts.language`; spans are offsets into the whole text. Cut ranges with `nextBlockEnd`. */
export function normalize(text: string, opts: NormalizeOptions, from = 0, to = text.length): Item[] {
  return normalizeWith(normalizerFor(opts.language), text, opts, from, to);
}

/** The same with a given rule table (a language's own tests, or one being built). */
export function normalizeWith(
  lang: LanguageNormalizer,
  text: string,
  opts: NormalizeOptions,
  from = 0,
  to = text.length,
): Item[] {
  const ctx = new Context(text, opts, from, to);
  while (ctx.i < ctx.pieces.length) {
    const p = ctx.pieces[ctx.i++]!;
    if (p.kind === "pause") ctx.out.push({ kind: "pause", start: p.start, end: p.end, seconds: p.seconds });
    else if (p.kind === "silent") ctx.out.push({ kind: "silent", start: p.start, end: p.end });
    else if (p.kind === "forced")
      ctx.out.push({ kind: "word", start: p.start, end: p.end, words: [p.text], phonemes: p.phonemes });
    else readRun(ctx, lang, p);
  }
  return ctx.out;
}

/** The spoken words of a text, space-separated (for tests and the `normalized` field). */
export function spokenText(items: Item[]): string {
  return items
    .filter((i): i is WordItem => i.kind === "word")
    .flatMap((i) => i.words)
    .join(" ");
}
