/**
 * Money: "₹500", "₹ 500", "रु 500", "Rs. 500", "Rs 500" पाँच सौ रुपये; "₹1"
 * एक रुपया; "₹10.50" दस रुपये पचास पैसे; "₹5 लाख" पाँच लाख रुपये; "$5" पाँच डॉलर.
 */
import type { Context } from "../context";
import { figureRule, rule } from "../rule";
import { own } from "../../own";
import { cardinal, asciiDigits } from "./number-words";
import { intValue, NUM, numberWords, RE_NUMBER } from "./figures";
import { CURRENCIES, SCALE_WORDS, type Currency } from "./tables";

const SIGN = String.raw`₹|Rs\.?|रु\.?|INR|US\$|[$€£]`;
const RE_MONEY_BEFORE = new RegExp(`^([-−])?(${SIGN})((?:${NUM})(?:\\.\\d+)?)$`);
const RE_MONEY_AFTER = new RegExp(`^((?:${NUM})(?:\\.\\d+)?)([₹$€£])$`);

/** The amount's words; `scale`: a scale word written after the figure (लाख). */
export function amountWords(num: string, cur: Currency, scale?: string): string[] | undefined {
  const m = RE_NUMBER.exec(num);
  if (!m) return undefined;
  const sign = m[1] === "-" || m[1] === "−" ? ["माइनस"] : [];
  const frac = m[3];
  if (scale) return [...sign, ...numberWords(num.replace(/^[-−+]/, ""))!, scale, cur.many];
  if (frac !== undefined && frac.length > 2)
    return [...sign, ...numberWords(num.replace(/^[-−+]/, ""))!, cur.many];
  const whole = intValue(num);
  const cents = frac === undefined ? 0 : Number(frac.padEnd(2, "0"));
  const out = [...sign];
  if (whole || !cents) out.push(...cardinal(m[2]!.replace(/,/g, "")), whole === 1 ? cur.one : cur.many);
  if (cents) out.push(...cardinal(String(cents)), cur.cent);
  return out;
}

/** A scale word in the run after an amount: "₹5 लाख". Takes it and returns it. */
function scaleAfter(ctx: Context): { run: ReturnType<Context["next"]> & object; word: string } | undefined {
  const next = ctx.next();
  if (next && SCALE_WORDS.has(next.core)) return { run: next, word: next.core };
  return undefined;
}

/** Says an amount written at [start, end), with a scale word after it when there is one. */
function sayAmount(
  ctx: Context,
  start: number,
  end: number,
  num: string,
  cur: Currency,
  canLook: boolean,
): boolean {
  const scale = canLook ? scaleAfter(ctx) : undefined;
  const words = amountWords(num, cur, scale?.word);
  if (!words) return false;
  if (scale) {
    ctx.word(start, end, words.slice(0, -2));
    ctx.take(scale.run, words.slice(-2));
  } else ctx.word(start, end, words);
  return true;
}

/** "₹500", "Rs.500", "$5", "₹10.50". */
export const moneyBefore = figureRule("money before", RE_MONEY_BEFORE, (m, tok, ctx) =>
  sayAmount(ctx, tok.start, tok.end, (m[1] ?? "") + m[3]!, own(CURRENCIES, m[2]!)!, tok.canLook),
);

/** "500₹". */
export const moneyAfter = figureRule("money after", RE_MONEY_AFTER, (m, tok, ctx) =>
  sayAmount(ctx, tok.start, tok.end, m[1]!, own(CURRENCIES, m[2]!)!, tok.canLook),
);

/** "₹ 500", "Rs. 500", "रु 500": the sign, then the amount in the next run. */
export const moneySignFirst = rule("money sign first", (tok, ctx) => {
  const cur = own(CURRENCIES, tok.text);
  if (!cur || !(tok.canLook || tok.text.endsWith("."))) return;
  const next = ctx.next();
  if (!next) return;
  const num = asciiDigits(next.core);
  if (!RE_NUMBER.test(num)) return;
  ctx.word(tok.start, tok.end, []);
  const end = next.start + next.core.length;
  const scale = next.trailing === "" ? ctx.next(1) : undefined;
  const scaleWord = scale && SCALE_WORDS.has(scale.core) ? scale : undefined;
  const words = amountWords(num, cur, scaleWord?.core) ?? [];
  if (scaleWord) {
    ctx.take(next, words.slice(0, -2));
    ctx.take(scaleWord, words.slice(-2));
  } else ctx.take(next, words, end - next.start);
  return true;
});
