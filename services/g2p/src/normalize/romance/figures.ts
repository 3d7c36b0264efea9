/**
 * Figures as these locales write them: a decimal comma ("3,5"); thousands
 * grouped by periods ("1.000.000") or spaces ("1 000", read by the number
 * rule across runs), or not grouped ("1000"). A period followed by groups of
 * exactly three digits groups thousands; any other period is a decimal point
 * ("1.5", "3.14").
 */
import type { NumberForm, RomanceLanguage } from "./types";

/** A written number inside a token's pattern. */
export const NUM = String.raw`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?`;

/** Cardinals said in words up to this many digits (10^18 - 1); longer ones digit by digit. */
export const MAX_CARDINAL_DIGITS = 18;

export interface Figure {
  /** The whole part's digits ("" for none). */
  int: string;
  /** The fraction's digits ("" for none). */
  frac: string;
}

export function parseFigure(s: string): Figure | undefined {
  let m = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?$/.exec(s);
  if (m) return { int: m[1]!.replace(/\./g, ""), frac: m[2] ?? "" };
  m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (m) return { int: m[1]!, frac: m[2] ?? "" };
  return undefined;
}

export function digitByDigit(lang: RomanceLanguage, d: string): string[] {
  return [...d].flatMap((c) => lang.cardinal(c));
}

/** A whole number as said: "007" and numbers too long for words digit by digit. */
export function sayInt(lang: RomanceLanguage, d: string, form: NumberForm = "m"): string[] {
  if (d === "") return lang.cardinal("0", form);
  if ((d.length > 1 && d.startsWith("0")) || d.length > MAX_CARDINAL_DIGITS) return digitByDigit(lang, d);
  return lang.cardinal(d, form);
}

/** "3,5" tres coma cinco, "3,14" tres coma catorce, "0,05" cero coma cero cinco. */
export function sayFigure(lang: RomanceLanguage, f: Figure, form: NumberForm = "m"): string[] {
  if (!f.frac) return sayInt(lang, f.int, form);
  const whole = sayInt(lang, f.int || "0");
  const frac =
    f.frac.length <= 3 && !f.frac.startsWith("0") ? lang.cardinal(f.frac) : digitByDigit(lang, f.frac);
  return [...whole, lang.decimalWord, ...frac];
}

/** Is this figure exactly one (for "un euro", "un grado")? */
export function isOne(f: Figure): boolean {
  return !f.frac && /^0*1$/.test(f.int);
}
