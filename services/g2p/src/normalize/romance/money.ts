/**
 * Money: a currency symbol or code before or after the figure, in one run or
 * two ("25 €", "25€", "€25", "R$ 10,50", "10,50 $"), with cents: the
 * language's words for the currency, "un euro" / "veinticinco euros", the
 * cents joined by its word ("con", "e"), "un millón de euros".
 */
import type { Context } from "../context";
import { figureRule, rule } from "../rule";
import { isOne, NUM, parseFigure, sayFigure, sayInt, type Figure } from "./figures";
import { sayThrough } from "./through";
import type { Currency, RomanceLanguage } from "./types";
import { own } from "../../own";

const SYMBOL = String.raw`US\$|R\$|[$€£¥]`;
const RE_MONEY_BEFORE = new RegExp(`^([-−])?(${SYMBOL})(${NUM})$`);
const RE_MONEY_AFTER = new RegExp(`^([-−])?(${NUM})(${SYMBOL})$`);

/** The currencies each language knows, by the symbols and codes written for them. */
export function currencyTable(c: {
  euro: Currency;
  dollar: Currency;
  pound: Currency;
  yen: Currency;
  real: Currency;
}): Record<string, Currency> {
  return {
    "€": c.euro,
    EUR: c.euro,
    $: c.dollar,
    US$: c.dollar,
    USD: c.dollar,
    "£": c.pound,
    GBP: c.pound,
    "¥": c.yen,
    JPY: c.yen,
    R$: c.real,
    BRL: c.real,
  };
}

/** The words for an amount of `cur`. */
export function moneyWords(lang: RomanceLanguage, f: Figure, cur: Currency): string[] {
  if (f.frac.length > 2) return [...sayFigure(lang, f), cur.many];
  const whole = f.int.replace(/^0+(?=\d)/, "") || "0";
  const cents = f.frac ? Number(f.frac.padEnd(2, "0")) : 0;
  const out: string[] = [];
  if (whole !== "0" || !cents) {
    out.push(...sayInt(lang, whole, cur.feminine ? "f" : "before-noun"));
    if (lang.scaleNouns.has(out[out.length - 1]!)) out.push(lang.scaleOf);
    out.push(isOne({ int: whole, frac: "" }) ? cur.one : cur.many);
  }
  if (cents) {
    if (out.length) out.push(lang.centsJoin);
    out.push(...lang.cardinal(String(cents), "before-noun"), cents === 1 ? cur.subOne : cur.subMany);
  }
  return out;
}

export function moneyRules(lang: RomanceLanguage) {
  const signed = (neg: string | undefined, words: string[]) => (neg ? [lang.minusWord, ...words] : words);
  const say = (neg: string | undefined, sym: string, fig: string) => {
    const cur = own(lang.currencies, sym);
    const f = parseFigure(fig);
    if (cur && f) return signed(neg, moneyWords(lang, f, cur));
  };
  return [
    /** "€25", "R$10,50", "-$5". */
    figureRule("money", RE_MONEY_BEFORE, (m) => say(m[1], m[2]!, m[3]!)),
    /** "25€", "10,50$". */
    figureRule("money after", RE_MONEY_AFTER, (m) => say(m[1], m[3]!, m[2]!)),
    /** "R$ 10,50", "€ 25": the symbol alone, the figure in the next run. */
    rule("currency then figure", (tok, ctx) => {
      const cur = own(lang.currencies, tok.text);
      if (!cur || !tok.canLook) return;
      const next = ctx.next();
      const f = next && parseFigure(next.core);
      if (!next || !f) return;
      sayThrough(ctx, tok.start, next, moneyWords(lang, f, cur));
      return true;
    }),
  ];
}

/** After a figure said at [start, end): "25 €", "10,50 USD" in the next run; false when none follows. */
export function currencyAfter(
  ctx: Context,
  lang: RomanceLanguage,
  f: Figure,
  neg: boolean,
  start: number,
): boolean {
  const next = ctx.next();
  const cur = next && own(lang.currencies, next.core);
  if (!next || !cur) return false;
  const words = moneyWords(lang, f, cur);
  sayThrough(ctx, start, next, neg ? [lang.minusWord, ...words] : words);
  return true;
}
