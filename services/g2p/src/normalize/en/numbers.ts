/**
 * Tokens made of figures: plain numbers (and what may follow them: a unit,
 * A M / P M, a month, a fraction), ordinals, fractions, ratios, ranges,
 * percentages, phone numbers, versions and dimensions.
 */
import { figureRule, rule } from "../rule";
import { eraAfter, monthAfterDay } from "./dates";
import { cardinal, fraction, ordinal, year } from "./number-words";
import { NUM } from "./patterns";
import { num, sign } from "./say";
import { MONTHS, SCALE_SUFFIX } from "./tables";
import { codeContext, codeNumber, digits } from "./codes";
import { ampmAfter, isClockTime } from "./time";
import { unitAfter, unitOf, unitWords, wordBefore } from "./units";

const RE_NUMBER = new RegExp(`^(${NUM})$`);
const RE_NEG_NUMBER = new RegExp(`^[-−](${NUM})$`);
const RE_PERCENT = new RegExp(`^([-−+])?(${NUM})%$`);
const RE_ORDINAL = /^(\d+)(st|nd|rd|th|ST|ND|RD|TH)$/;
const RE_ORDINAL_COMPOUND = /^(\d+)(st|nd|rd|th)-(\p{L}[\p{L}-]*)$/u;
const RE_RATING = /^(\d+\.\d+)\/(\d+)$/;
const RE_RATIO = /^(\d{1,3}):(\d{1,3})$/;
const RE_FRACTION = /^(\d{1,3})\/(\d{1,3})$/;
const RE_RANGE = new RegExp(`^(${NUM})\\s?[-–—]\\s?(${NUM})(%|°[CFK]?|[a-zA-Z/]+)?$`);
const RE_SCALED = new RegExp(`^(${NUM})(k|K|M|mn|mln|bn|tn)$`);
const RE_PHONE = /^\+?(\d{1,3}[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}$|^\d{3}-\d{4}$/;
const RE_VERSION = /^v?\d+(\.\d+){2,}$/;
const RE_DIMENSIONS = /^(\d+)[x×](\d+)$/;

/** Words before a four-digit number that make it a year ("in 1203", "since 1066"). */
const YEAR_CONTEXT = new Set(
  "in since of by from until till to year circa c ca around before after during early late mid summer winter spring autumn fall class between".split(
    " ",
  ),
);

/** "4.5/5": four point five out of five. */
export const rating = figureRule("rating", RE_RATING, (m, _tok, ctx) => [
  ...num(ctx, m[1]!),
  "out",
  "of",
  ...num(ctx, m[2]!),
]);

/** "16:9": sixteen to nine (a time like "10:30" is left to the clock rule). */
export const ratio = figureRule("ratio", RE_RATIO, (m, tok, ctx) => {
  if (!isClockTime(tok.text)) return [...num(ctx, m[1]!), "to", ...num(ctx, m[2]!)];
});

export const percent = figureRule("percent", RE_PERCENT, (m, _tok, ctx) => [
  ...sign(m[1]),
  ...num(ctx, m[2]!),
  "percent",
]);

export const twentyFourSeven = rule("24/7", (tok) => tok.text === "24/7" && ["twenty-four", "seven"], true);

/** "3/4" three quarters, "1/100"; "50/50" and "9/11" are two numbers. */
export const fractionRule = figureRule("fraction", RE_FRACTION, (m) => {
  const den = Number(m[2]);
  if (den <= 0) return;
  if ((den <= 10 || [12, 16, 32, 64, 100].includes(den)) && !(Number(m[1]) >= den && den > 4))
    return fraction(m[1]!, m[2]!);
  return [...cardinal(m[1]!), ...cardinal(m[2]!)];
});

/** "5th"; "5th December": the fifth of December. */
export const ordinalRule = figureRule("ordinal", RE_ORDINAL, (m, tok, ctx) => {
  ctx.word(tok.start, tok.end, ordinal(m[1]!, ctx.opts.dialect === "gb"));
  if (tok.canLook) monthAfterDay(ctx, Number(m[1]));
  return true;
});

/** "1st-place", "2nd-hand". */
export const ordinalCompound = figureRule("ordinal compound", RE_ORDINAL_COMPOUND, (m) => [
  ...ordinal(m[1]!),
  ...m[3]!.split("-").filter(Boolean),
]);

export const phone = rule("phone number", (tok) => RE_PHONE.test(tok.text) && phoneDigits(tok.text), true);

/** "v1.2.3": version one point two point three. */
export const version = rule(
  "version",
  (tok, ctx) => {
    const c = tok.text;
    if (!RE_VERSION.test(c)) return;
    const out: string[] = c.startsWith("v") && ctx.prevWord() !== "version" ? ["version"] : [];
    c.replace(/^v/, "")
      .split(".")
      .forEach((p, k) => {
        if (k) out.push("point");
        out.push(...cardinal(p));
      });
    return out;
  },
  true,
);

/** "1920x1080": nineteen twenty by ten eighty. */
export const dimensions = figureRule("dimensions", RE_DIMENSIONS, (m) => [
  ...side(m[1]!),
  "by",
  ...side(m[2]!),
]);

function side(d: string): string[] {
  return d.length === 4 ? year(d) : cardinal(d);
}

/** "40-60", "2020-2025", "5-10 km", "10-20%": a range, low to high. */
export const range = figureRule("range", RE_RANGE, (m, tok, ctx) => {
  const a = parseFloat(m[1]!.replace(/,/g, ""));
  const b = parseFloat(m[2]!.replace(/,/g, ""));
  const unit = m[3];
  const named = unit && unit !== "%" ? unitOf(unit) : undefined;
  if ((unit && unit !== "%" && !named) || !(a < b)) return;
  const yearish = (x: string) => /^\d{4}$/.test(x) && Number(x) >= 1000 && Number(x) <= 2099;
  const say = (x: string) => (yearish(m[1]!) && yearish(m[2]!) ? year(x) : num(ctx, x));
  const words = [...say(m[1]!), "to", ...say(m[2]!)];
  const before = wordBefore(ctx);
  if (unit === "%") words.push("percent");
  else if (named) words.push(...unitWords(ctx, named[1]));
  ctx.word(tok.start, tok.end, words);
  if (tok.canLook && !unit) unitAfter(ctx, 2, before);
  return true;
});

/** "10k steps", "2bn", "4K video". */
export const scaled = figureRule("scaled number", RE_SCALED, (m, _tok, ctx) => [
  ...num(ctx, m[1]!),
  ...(m[2] === "K" ? ["K"] : [SCALE_SUFFIX[m[2]!]!]),
]);

export const negative = figureRule("negative number", RE_NEG_NUMBER, (m, _tok, ctx) => [
  "minus",
  ...num(ctx, m[1]!),
]);

/** A plain number, and what reads with it: a year, "2 1/2", "3 PM", "5 December", "5 km". */
export const plainNumber = figureRule("number", RE_NUMBER, (m, tok, ctx) => {
  const s = m[1]!;
  const { start, end, canLook } = tok;
  // "(555) 123-4567": an area code is said digit by digit
  if (
    /^\d{3}$/.test(s) &&
    ctx.text[start - 1] === "(" &&
    ctx.text[end] === ")" &&
    /^\d{3}[-. ]\d{4}\b/.test(ctx.peekRun()?.text ?? "")
  )
    return phoneDigits(s);
  const n = Number(s.replace(/,/g, ""));
  const isInt = /^\d+$/.test(s);
  const prev = ctx.prevWord();
  const before = wordBefore(ctx);
  const next = canLook ? ctx.peekRun() : undefined;
  const nextUnit = next && unitOf(next.text);
  // codes: "room 1203" twelve oh three, "order 458213" digit by digit, "Boeing 737"
  const code = codeContext(ctx, canLook);
  const yearLike = s.length === 4 && n >= 1800 && n <= 2099;
  const modelLike = s.length <= 4 && !yearLike && !s.startsWith("0");
  if (
    code &&
    isInt &&
    s.length >= 3 &&
    !(next && unitOf(ctx.next()!.core)) &&
    (code !== "model" || modelLike)
  )
    return codeNumber(s, code !== "place");
  // years: 4 digits, no grouping
  if (
    isInt &&
    s.length === 4 &&
    !nextUnit &&
    ((n >= 1000 && n <= 2099 && prev && (YEAR_CONTEXT.has(prev) || MONTHS.includes(prev))) ||
      (n >= 1800 && n <= 2099))
  ) {
    ctx.word(start, end, year(s));
    if (canLook) eraAfter(ctx);
    return true;
  }
  // "2 1/2 cups": two and a half
  const frac = canLook && isInt ? ctx.next() : undefined;
  const fm = frac && /^(\d)\/(\d{1,2})$/.exec(frac.core);
  ctx.word(start, end, num(ctx, s));
  if (frac && fm && Number(fm[1]) < Number(fm[2])) {
    ctx.take(frac, ["and", ...fraction(fm[1]!, fm[2]!)]);
    return true;
  }
  if (!canLook) return true;
  if (ampmAfter(ctx)) return true;
  if (isInt && n >= 1 && n <= 31 && monthAfterDay(ctx, n)) return true;
  unitAfter(ctx, n, before, code !== undefined);
  return true;
});

/** Phone numbers digit by digit, zero as "oh": "555-0123". */
function phoneDigits(c: string): string[] {
  const groups = c
    .replace(/^\+/, "")
    .split(/[^\d]+/)
    .filter(Boolean);
  return [...(c.startsWith("+") ? ["plus"] : []), ...groups.flatMap(digits)];
}
