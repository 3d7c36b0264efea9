/**
 * Dates and years: "2025-12-05", "12/05/2025" (month first in en-us, day first
 * in en-gb), "December 5, 2025", "5 December", "the 1990s", "1990 BC".
 */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { ordinal, year, yearPlural } from "./number-words";
import { MONTH_ABBR, MONTHS } from "./tables";
import { own } from "../../own";

const RE_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RE_NUM_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$/;
const RE_YEARS = /^(\d{4})['’]?s$/;
const RE_SHORT_YEARS = /^['’](\d{2})s$|^(\d0)s$/;

export const isoDate = figureRule("ISO date", RE_ISO_DATE, (m, _tok, ctx) => {
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) return date(ctx, Number(m[1]), mo, d);
});

export const numericDate = figureRule("numeric date", RE_NUM_DATE, (m, _tok, ctx) => {
  const a = Number(m[1]);
  const b = Number(m[2]);
  let y = Number(m[3]);
  if (m[3]!.length === 2) y += y < 50 ? 2000 : 1900;
  const [mo, d] = ctx.opts.dialect === "gb" ? (b <= 12 ? [b, a] : [a, b]) : a <= 12 ? [a, b] : [b, a];
  if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) return date(ctx, y, mo, d);
});

/** "1990s", "1990's": nineteen nineties. */
export const decades = figureRule("decades", RE_YEARS, (m) => yearPlural(m[1]!));

/** "'90s", "80s": nineties, eighties. */
export const shortDecades = figureRule("short decades", RE_SHORT_YEARS, (m) => yearPlural(m[1] ?? m[2]!));

function date(ctx: Context, y: number, mo: number, d: number): string[] {
  const month = MONTHS[mo - 1]!;
  const day = ordinal(String(d));
  const yr = year(String(y));
  return ctx.opts.dialect === "gb" ? ["the", ...day, "of", month, ...yr] : [month, ...day, ...yr];
}

/** "5 December" -> the fifth of December (called after a day number was said). */
export function monthAfterDay(ctx: Context, day: number): boolean {
  if (day < 1 || day > 31) return false;
  const next = ctx.next();
  if (!next) return false;
  const mo = monthOf(next.core, next.trailing);
  if (!mo) return false;
  const dayItem = ctx.prevWordItem();
  if (!dayItem) return false;
  dayItem.words = ["the", ...ordinal(String(day))];
  const rest = ctx.take(next, ["of", MONTHS[mo.n - 1]!], mo.len);
  if (!rest) yearAfter(ctx);
  return true;
}

/** A four-digit year in the next run. */
function yearAfter(ctx: Context): void {
  const next = ctx.next();
  if (next && /^\d{4}$/.test(next.core)) ctx.take(next, year(next.core));
}

/** "1990 BC", "70 AD" */
export function eraAfter(ctx: Context): void {
  const next = ctx.next();
  if (next && /^(BC|AD|BCE|CE|B\.C\.|A\.D\.)$/.test(next.core))
    ctx.take(next, [...next.core.replace(/\./g, "")]);
}

/** "December 5", "Dec. 5th, 2025": the month `mo` was written at [start, end); a day (and a year) follow. */
export function monthDay(ctx: Context, mo: number, start: number, end: number): boolean {
  const next = ctx.next();
  if (!next) return false;
  const dm = /^(\d{1,2})(st|nd|rd|th)?$/i.exec(next.core);
  if (!dm || Number(dm[1]) < 1 || Number(dm[1]) > 31) return false;
  ctx.word(start, end, [MONTHS[mo - 1]!]);
  ctx.take(next, ctx.opts.dialect === "gb" ? ["the", ...ordinal(dm[1]!)] : ordinal(dm[1]!));
  if (next.trailing === "," || next.trailing === "") yearAfter(ctx);
  return true;
}

function monthOf(core: string, trailing: string): { n: number; len: number } | undefined {
  const lower = core.toLowerCase();
  const full = MONTHS.indexOf(lower);
  if (full >= 0 && /^\p{Lu}/u.test(core)) return { n: full + 1, len: core.length };
  if (own(MONTH_ABBR, lower) && /^\p{Lu}/u.test(core))
    return { n: own(MONTH_ABBR, lower)!, len: core.length + (trailing.startsWith(".") ? 1 : 0) };
  return undefined;
}
