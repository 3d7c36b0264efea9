/**
 * Numeric dates in the locale's order, day first: "5/12/2024", "5-12-2024",
 * "5.12.2024", "05/12/24" (a two-digit year is 19xx from 50 on, else 20xx),
 * and ISO "2024-12-05". A first part over 12 with a second up to 12 is read
 * day first anyway; a second part over 12 means the month came first.
 */
import { figureRule } from "../rule";
import type { RomanceLanguage } from "./types";

const RE_DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const RE_YEAR_FIRST = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

function valid(d: number, mo: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

export function dateRules(lang: RomanceLanguage) {
  return [
    figureRule("numeric date", RE_DAY_FIRST, (m) => {
      let d = Number(m[1]);
      let mo = Number(m[3]);
      if (mo > 12 && d <= 12) [d, mo] = [mo, d];
      let y = Number(m[4]);
      if (m[4]!.length === 2) y += y < 50 ? 2000 : 1900;
      if (valid(d, mo)) return lang.date(d, mo, y);
    }),
    figureRule("ISO date", RE_YEAR_FIRST, (m) => {
      const mo = Number(m[3]);
      const d = Number(m[4]);
      if (valid(d, mo)) return lang.date(d, mo, Number(m[1]));
    }),
  ];
}
