/**
 * Money: "25 €", "25€", "€25", "$10", "1 000 000 €". The choice made here:
 * euros then the cents as a bare number, the way it is said at a till:
 * "25,50 €" vingt-cinq euros cinquante, "1 €" un euro, "0,50 €" cinquante
 * centimes, "1 000 000 €" un million d'euros.
 */
import type { Context, NextRun } from "../context";
import { figureRule, rule, type Token } from "../rule";
import { cardinal, fractionDigits } from "./number-words";
import { integerWords, NUM, readNumber, sayPieces, signWords, type ReadNumber } from "./figures";
import { own } from "../../own";

export interface Currency {
  /** Singular, plural, and the form after "million" (d'euros). */
  one: string;
  many: string;
  of: string[];
  cent: [string, string];
}

export const CURRENCIES: Record<string, Currency> = {
  "€": { one: "euro", many: "euros", of: ["d'euros"], cent: ["centime", "centimes"] },
  EUR: { one: "euro", many: "euros", of: ["d'euros"], cent: ["centime", "centimes"] },
  $: { one: "dollar", many: "dollars", of: ["de", "dollars"], cent: ["cent", "cents"] },
  US$: { one: "dollar", many: "dollars", of: ["de", "dollars"], cent: ["cent", "cents"] },
  USD: { one: "dollar", many: "dollars", of: ["de", "dollars"], cent: ["cent", "cents"] },
  "£": { one: "livre", many: "livres", of: ["de", "livres"], cent: ["penny", "pence"] },
  "¥": { one: "yen", many: "yens", of: ["de", "yens"], cent: ["sen", "sens"] },
  CHF: { one: "franc", many: "francs", of: ["de", "francs"], cent: ["centime", "centimes"] },
};

const SYMBOL = String.raw`US\$|[€$£¥]`;
const RE_MONEY_BEFORE = new RegExp(`^([-−])?(${SYMBOL})\\s?((?:${NUM})(?:[,.]\\d+)?)$`);
const RE_MONEY_AFTER = new RegExp(`^([-−])?((?:${NUM})(?:[,.]\\d+)?)(${SYMBOL})$`);

/** The amount's words per piece of the number: the currency after the units, then the cents. */
export function amountWords(n: ReadNumber, cur: Currency): string[][] {
  const frac = n.frac;
  const whole = integerWords({ ...n, frac: undefined });
  whole[0] = [...signWords(n.sign), ...whole[0]!];
  const last = whole[whole.length - 1]!;
  const isZero = /^0*$/.test(n.int);
  if (frac !== undefined && frac.length > 2) {
    last.push("virgule", ...fractionDigits(frac), cur.many);
    return whole;
  }
  const cents = frac === undefined ? 0 : Number(frac.padEnd(2, "0"));
  if (isZero && cents) {
    // "0,50 €": cinquante centimes
    whole[0] = [...signWords(n.sign), ...cardinal(String(cents)), cents === 1 ? cur.cent[0] : cur.cent[1]];
    for (let k = 1; k < whole.length; k++) whole[k] = [];
    return whole;
  }
  const flat = whole.flat();
  const scaleEnd = /^(million|milliard|billion|billiard)s?$/.test(flat.at(-1) ?? "");
  last.push(...(scaleEnd ? cur.of : [Number(n.int) < 2 ? cur.one : cur.many]));
  if (cents) last.push(...cardinal(String(cents)));
  return whole;
}

/** Says a number read from the text; `symbolRun`: the currency's own run after it ("25,50 €"), which says the currency and the cents. */
export function sayAmount(ctx: Context, n: ReadNumber, cur: Currency, symbolRun?: NextRun): void {
  const words = amountWords(n, cur);
  if (!symbolRun) return sayPieces(ctx, n, words);
  const ints = integerWords({ ...n, frac: undefined });
  ints[0] = [...signWords(n.sign), ...ints[0]!];
  const all = words.flat();
  const said = ints.flat();
  if (said.every((w, k) => all[k] === w)) {
    sayPieces(ctx, n, ints);
    ctx.take(symbolRun, all.slice(said.length));
  } else {
    // "0,50 €": cinquante centimes, all on the number
    sayPieces(ctx, n, words);
    ctx.take(symbolRun, []);
  }
}

/** The currency named by a run after a number ("€", "EUR", "$"), if any. */
export function currencyAfter(next: NextRun | undefined): Currency | undefined {
  return next ? own(CURRENCIES, next.core) : undefined;
}

function tokenNumber(
  ctx: Context,
  tok: Token,
  sign: string | undefined,
  num: string,
): ReadNumber | undefined {
  return readNumber({ ...tok, text: (sign ?? "") + num, canLook: false }, ctx);
}

/** "€25", "$10", "€ 25" is two runs (see moneySymbolFirst). */
export const moneyBefore = figureRule("money before", RE_MONEY_BEFORE, (m, tok, ctx) => {
  const n = tokenNumber(ctx, tok, m[1], m[3]!);
  if (!n) return;
  return amountWords(n, own(CURRENCIES, m[2]!)!).flat();
});

/** "25€", "25,50€". */
export const moneyAfter = figureRule("money after", RE_MONEY_AFTER, (m, tok, ctx) => {
  const n = tokenNumber(ctx, tok, m[1], m[2]!);
  if (!n) return;
  return amountWords(n, own(CURRENCIES, m[3]!)!).flat();
});

/** "€ 25", "$ 10": a lone symbol and the number after it. */
export const moneySymbolFirst = rule("money symbol first", (tok, ctx) => {
  const cur = own(CURRENCIES, tok.text);
  if (!cur || !tok.canLook || !/^[€$£¥]$|^US\$$/.test(tok.text)) return;
  const next = ctx.next();
  if (!next || !new RegExp(`^(?:${NUM})(?:,\\d+)?$`).test(next.core)) return;
  const n = readNumber(
    {
      text: next.core,
      start: next.start,
      end: next.start + next.core.length,
      canLook: false,
      hasDigit: true,
    },
    ctx,
  );
  if (!n) return;
  ctx.word(tok.start, tok.end, []);
  ctx.take(next, amountWords(n, cur).flat());
  return true;
});
