/**
 * Figures that are not dates, times or money: plain numbers (with "1 000"
 * grouped across runs, and what may follow them in the next run: "%", "€",
 * "°C", a month after day 1), signed numbers, percentages, degrees, ordinals
 * ("1º", "1.ª", "3er"), ranges ("10-20") and short years ("'90").
 */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { isOne, NUM, parseFigure, sayFigure, type Figure } from "./figures";
import { currencyAfter } from "./money";
import type { Gender, RomanceLanguage } from "./types";

const RE_NUMBER = new RegExp(`^([-−+])?(${NUM})$`);
const RE_PERCENT = new RegExp(`^([-−+])?(${NUM})%$`);
const RE_DEGREES = new RegExp(`^([-−+])?(${NUM})(?:°|º(?=[CF]))([CF])?$`);
const RE_ORDINAL = /^(\d{1,4})(\.)?([ºª°]|\p{L}{1,2})$/u;
const RE_RANGE = new RegExp(`^(${NUM})[-–](${NUM})$`);
const RE_SHORT_YEAR = /^['’](\d{2})$/;
/** A group of three digits in the run after a number: "1 000", "2 500,75". */
const RE_SPACE_GROUP = /^(\d{3})(?:,(\d+))?$/;
const MAX_SPACE_GROUPS = 5;

function signWords(lang: RomanceLanguage, sign: string | undefined): string[] {
  return sign === "-" || sign === "−" ? [lang.minusWord] : sign === "+" ? [lang.plusWord] : [];
}

function degreeWords(lang: RomanceLanguage, f: Figure, scale: string | undefined): string[] {
  const words = isOne(f) ? lang.degreeWords.one : lang.degreeWords.many;
  return scale === "F" ? [...words, "Fahrenheit"] : words;
}

/** The ordinal marks of Italian and Portuguese: 1º, 1o (masculine), 1ª, 1a (feminine); no short forms. */
export function plainOrdinalMark(mark: string): { gender: Gender; short: boolean } | undefined {
  if (mark === "º" || mark === "o") return { gender: "m", short: false };
  if (mark === "ª" || mark === "a") return { gender: "f", short: false };
  return undefined;
}

/** Does a month's name come next ("1 maggio", "1 de maio")? */
export function monthFollows(ctx: Context, lang: RomanceLanguage): boolean {
  const next = ctx.next();
  if (!next) return false;
  const w = next.core.toLowerCase();
  if (lang.months.includes(w)) return true;
  if (!lang.monthLink || w !== lang.monthLink || next.trailing) return false;
  const after = ctx.next(1);
  return !!after && lang.months.includes(after.core.toLowerCase());
}

export function numberRules(lang: RomanceLanguage) {
  return [
    figureRule("percent", RE_PERCENT, (m) => [
      ...signWords(lang, m[1]),
      ...sayFigure(lang, parseFigure(m[2]!)!),
      ...lang.percentWords,
    ]),
    figureRule("degrees", RE_DEGREES, (m, tok, ctx) => {
      // "1° maggio" is an ordinal (below)
      if (!m[3] && tok.canLook && monthFollows(ctx, lang)) return;
      const f = parseFigure(m[2]!)!;
      return [...signWords(lang, m[1]), ...sayFigure(lang, f), ...degreeWords(lang, f, m[3])];
    }),
    /** "1º", "1.ª", "3er"; "1° maggio" (a degree sign before a month is an ordinal). */
    figureRule("ordinal", RE_ORDINAL, (m, tok, ctx) => {
      const mark = m[3]!;
      const kind =
        mark === "°"
          ? tok.canLook && monthFollows(ctx, lang)
            ? { gender: "m" as const, short: false }
            : undefined
          : lang.ordinalMark(mark.toLowerCase());
      if (!kind) return;
      const n = Number(m[1]);
      if (n === 0) return;
      return lang.ordinal(n, kind.gender, kind.short) ?? lang.cardinal(String(n));
    }),
    /** "'90": noventa. */
    figureRule("short year", RE_SHORT_YEAR, (m) => lang.cardinal(m[1]!.replace(/^0(?=\d)/, ""))),
    /** "10-20", "2020–2024". */
    figureRule("range", RE_RANGE, (m) => {
      const a = parseFigure(m[1]!)!;
      const b = parseFigure(m[2]!)!;
      if (!(Number(`${a.int}.${a.frac || 0}`) < Number(`${b.int}.${b.frac || 0}`))) return;
      return [...sayFigure(lang, a), lang.rangeWord, ...sayFigure(lang, b)];
    }),
    figureRule("number", RE_NUMBER, (m, tok, ctx) => {
      let f = parseFigure(m[2]!)!;
      let end = tok.end;
      let trailing = "";
      // "1 000 000": groups of three digits in the runs after
      if (tok.canLook && !m[1] && !f.frac && /^[1-9]\d{0,2}$/.test(f.int)) {
        for (let k = 0; k < MAX_SPACE_GROUPS; k++) {
          const next = ctx.next();
          const g = next && RE_SPACE_GROUP.exec(next.core);
          if (!next || !g) break;
          ctx.i++;
          f = { int: f.int + g[1]!, frac: g[2] ?? "" };
          end = next.start + next.core.length;
          trailing = next.trailing;
          if (g[2] !== undefined || trailing) break;
        }
      }
      const sign = signWords(lang, m[1]);
      if (tok.canLook && !trailing) {
        if (currencyAfter(ctx, lang, f, sign[0] === lang.minusWord, tok.start)) return true;
        const next = ctx.next();
        if (next?.core === "%") {
          ctx.word(tok.start, end, [...sign, ...sayFigure(lang, f)]);
          ctx.take(next, lang.percentWords);
          return true;
        }
        const deg = next && /^(?:°|º(?=[CF]))([CF])?$/.exec(next.core);
        if (next && deg) {
          ctx.word(tok.start, end, [...sign, ...sayFigure(lang, f)]);
          ctx.take(next, degreeWords(lang, f, deg[1]));
          return true;
        }
        if (isOne(f) && !m[1] && lang.firstOfMonth && monthFollows(ctx, lang)) {
          ctx.word(tok.start, end, [lang.firstOfMonth]);
          return true;
        }
      }
      ctx.word(tok.start, end, [...sign, ...sayFigure(lang, f)]);
      if (trailing) ctx.marks(end, trailing);
      return true;
    }),
  ];
}
