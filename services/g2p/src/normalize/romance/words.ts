/**
 * Tokens made of letters: abbreviations with their periods ("Sr.", "Sig.ra",
 * "n.º"), abbreviations written in two runs ("p. ej.", "a. C."), initialisms
 * ("S.A.", "J."), capitals spelled or said as a word ("DNI" de ene i, "ONU"),
 * and plain words, said as written (a brand like "iPhone" stays one word).
 * Also where a period belongs to the word before it, decided as English does:
 * an abbreviation's period ends the sentence only when the sentence really
 * ends there.
 */
import type { Context, NextRun } from "../context";
import { rule, type LanguageNormalizer, type Rule, type WordPeriod } from "../rule";
import { sayToken } from "../runs";
import type { Abbreviation, RomanceLanguage } from "./types";
import { own } from "../../own";

const LETTERS = "\\p{L}\\p{M}";
const RE_WORD = new RegExp(
  `^[${LETTERS}](?:[${LETTERS}'’\\u00AD\\u200B-\\u200D\\u2060]|-(?=[${LETTERS}]))*$`,
  "u",
);
/** An elided word before a figure: "all'1:15", "dell'800". */
const RE_ELIDED_FIGURE = /^(\p{L}+['’])(\d.*)$/su;
const RE_INITIALISM = /^(?:\p{L}\.){2,}$/u;
const RE_LETTERS_WITH_PERIODS = /^(?:\p{L}\.)+$/u;
/** A capital after opening marks: the next run starts a sentence or a name. */
const RE_CAPITAL_START = /^["“«(¿¡]?\p{Lu}/u;
/** Consonant pairs that start a syllable in these languages ("TR", "BL"). */
const RE_ONSET = /^[BCDFGKPTV][LR]$/;

/** Letter names for a run of capitals or an initialism: "DNI" -> de ene i. */
export function spell(lang: RomanceLanguage, w: string): string[] {
  return [...w]
    .filter((ch) => /\p{L}/u.test(ch))
    .flatMap((ch) => (own(lang.letters, ch.toLowerCase()) ?? ch.toLowerCase()).split(" "));
}

/** Can these capitals be read as a word (ONU, OTAN, FIFA), or are they spelled (DNI, UE, BBC)? */
function readsAsWord(w: string): boolean {
  const s = w.normalize("NFD").replace(/\p{M}/gu, "");
  if (s.length <= 2 || !/[AEIOUY]/.test(s) || /[^AEIOUY]{2}$/.test(s)) return false;
  for (let k = 0; k + 1 < s.length; k++) {
    const pair = s.slice(k, k + 2);
    if (/[AEIOUY]/.test(pair) || /^[SNLRM]/.test(pair) || RE_ONSET.test(pair)) continue;
    return false;
  }
  return true;
}

/** The value of II to XXXIX (I, V and X only: "CD", "MI", "DC" stay words), or undefined. */
function romanValue(w: string): number | undefined {
  if (!/^X{0,3}(IX|IV|V?I{0,3})$/.test(w) || w.length < 2) return undefined;
  const v: Record<string, number> = { I: 1, V: 5, X: 10 };
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const a = v[w[i]!]!;
    total += a < (v[w[i + 1] ?? ""] ?? 0) ? -a : a;
  }
  return total;
}

/** A run of letters as said. */
export function sayWord(ctx: Context, lang: RomanceLanguage, w: string, start: number, end: number): void {
  const clean = w.replace(/[\u00AD\u200B-\u200D\u2060]/g, "").replace(/’/g, "'");
  if (!clean) return ctx.word(start, end, []);
  const bare = own(lang.bareWords, clean.toLowerCase());
  if (bare) return ctx.word(start, end, bare);
  const roman = romanValue(clean);
  if (roman) return ctx.word(start, end, lang.roman(roman));
  if (/^\p{Lu}{2,}$/u.test(clean) && !ctx.shouting && !lang.acronymWords.has(clean) && !readsAsWord(clean))
    return ctx.word(start, end, spell(lang, clean));
  ctx.word(start, end, [clean]);
}

/** The second run of a two-run abbreviation, with its period: "ej." after "p.". */
function pairAfter(ctx: Context, lang: RomanceLanguage, first: string) {
  const pair = own(lang.pairs, first.toLowerCase());
  const next = pair && ctx.next();
  if (!pair || !next || !next.trailing.startsWith(".")) return undefined;
  const abbr = own(pair, `${next.core.toLowerCase()}.`);
  return abbr && { next, abbr };
}

/** Says a two-run abbreviation through the second run's period; that period may end the sentence too. */
function sayPair(ctx: Context, start: number, next: NextRun, abbr: Abbreviation): void {
  ctx.i++;
  const end = next.start + next.core.length + 1;
  const rest = next.text.slice(next.core.length + 1);
  const after = ctx.peekRun();
  const endsSentence =
    !!abbr.end && rest === "" && (!after || RE_CAPITAL_START.test(after.text)) && !/[.!?…]/.test(rest);
  ctx.word(start, end, abbr.words);
  if (endsSentence) ctx.sentenceEnd(end);
  ctx.marks(end, rest);
}

/** `table`: the whole rule table, to read the figure after an elided word. */
export function wordRules(lang: RomanceLanguage, table: () => LanguageNormalizer): Rule[] {
  return [
    /** "all'1:15": the elided word, then the figure read by the table like any token. */
    rule("elided word before a figure", (tok, ctx) => {
      const m = RE_ELIDED_FIGURE.exec(tok.text);
      if (!m) return;
      const cut = tok.start + m[1]!.length;
      ctx.word(tok.start, cut, [m[1]!.replace(/’/g, "'")]);
      sayToken(ctx, table(), { ...tok, text: m[2]!, start: cut, hasDigit: true });
      return true;
    }),
    /** "Sr.", "Sig.ra", "etc.", "n.º", "p. ej.". */
    rule("abbreviation", (tok, ctx) => {
      const pair = pairAfter(ctx, lang, tok.text);
      if (pair) {
        sayPair(ctx, tok.start, pair.next, pair.abbr);
        return true;
      }
      const abbr = own(lang.abbreviations, tok.text.toLowerCase());
      if (!abbr) return;
      if (abbr.beforeFigure && !/^\d/.test(ctx.peekRun()?.text ?? "")) return;
      return abbr.words;
    }),
    /** "S.A." without an entry, "J.": letter by letter. */
    rule("initialism", (tok) => RE_LETTERS_WITH_PERIODS.test(tok.text) && spell(lang, tok.text)),
    rule("word", (tok, ctx) => {
      if (!RE_WORD.test(tok.text)) return;
      sayWord(ctx, lang, tok.text, tok.start, tok.end);
      return true;
    }),
  ];
}

/** Does the period of "Sr.", "etc.", "S.A.", "J." belong to the word, and does it end the sentence too? */
export function romanceWordPeriod(lang: RomanceLanguage) {
  return (withDot: string, ctx: Context, laterEnd: boolean): WordPeriod | undefined => {
    const key = withDot.toLowerCase();
    const next = ctx.peekRun();
    let abbr = own(lang.abbreviations, key);
    if (abbr?.beforeFigure && !/^\d/.test(next?.text ?? "")) abbr = undefined;
    if (pairAfter(ctx, lang, withDot)) return { endsSentence: false };
    const initialism = RE_INITIALISM.test(withDot);
    const initial = /^\p{Lu}$/u.test(withDot.slice(0, -1)) && /^\p{Lu}/u.test(next?.text ?? "");
    if (!abbr && !initialism && !initial) return undefined;
    if (laterEnd) return { endsSentence: false };
    const nextCap = next ? RE_CAPITAL_START.test(next.text) : true;
    if (abbr?.end && nextCap) return { endsSentence: true };
    if (!abbr && initialism && (!next || (nextCap && !/^\p{Lu}\.?$/u.test(next.text))))
      return { endsSentence: true };
    return { endsSentence: !!abbr && !abbr.title && !next };
  };
}
