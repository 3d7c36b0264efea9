/** Ways of saying things that many English rules share: numbers, letters, acronyms, run-together names. */
import type { Context } from "../context";
import { cardinal, decimal, digitByDigit } from "./number-words";

/** A written number as said: "3,497", "3.14", "007" (digit by digit with a leading zero). */
export function num(ctx: Context, s: string): string[] {
  const clean = s.replace(/,/g, "");
  const dot = clean.indexOf(".");
  const and = ctx.opts.dialect === "gb";
  if (dot >= 0) return decimal(clean.slice(0, dot), clean.slice(dot + 1), and);
  if (clean.length > 1 && clean.startsWith("0")) return digitByDigit(clean);
  return cardinal(clean, and);
}

/** A leading sign: "-" minus, "+" plus. */
export function sign(s: string | undefined): string[] {
  return s === "-" || s === "−" ? ["minus"] : s === "+" ? ["plus"] : [];
}

/** Letter by letter: "PhD" -> P H D. */
export function spell(w: string): string[] {
  return [...w].filter((ch) => /\p{L}/u.test(ch)).map((ch) => ch.toUpperCase());
}

/** An all-caps word: said as a word when the lexicon says so (NASA), else letter by letter (FBI, FBI's). */
export function acronym(ctx: Context, w: string): string[] {
  let base = w;
  let plural = "";
  const m = /^(\p{Lu}{2,})('?s)$/u.exec(w);
  if (m) {
    base = m[1]!;
    plural = m[2]!;
  }
  const { known } = ctx.opts;
  const asWord = ctx.opts.saidAsWord ?? known;
  if (asWord(w)) return [w];
  if (asWord(base) && !plural) return [base];
  const lower = w.toLowerCase();
  if ((ctx.shouting || base.length >= 5) && known(lower)) return [lower];
  if (ctx.shouting && base.length >= 3 && known(lower)) return [lower];
  if (asWord(base)) return [base + plural];
  const letters = spell(base);
  if (plural) letters[letters.length - 1] += "'s";
  return letters;
}

/** "MondayMotivation" -> Monday Motivation; "user_name42" -> user name forty-two. */
export function splitName(ctx: Context, s: string): string[] {
  const parts = s
    .replace(/_/g, " ")
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\d)/gu, "$1 $2")
    .replace(/(\d)(\p{L})/gu, "$1 $2")
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) out.push(...(p.length > 4 ? digitByDigit(p) : cardinal(p)));
    else if (/^\p{Lu}+$/u.test(p) && p.length > 1) out.push(...acronym(ctx, p));
    else out.push(p);
  }
  return out;
}
