/** Amounts of money: "$5.30" five dollars and thirty cents, "$3 million", "€2bn", "$5/mo". */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { cardinal } from "./number-words";
import { num, sign } from "./say";
import { CURRENCIES, SCALE_SUFFIX } from "./tables";
import { NUM } from "./patterns";

const RE_MONEY = new RegExp(`^([-−])?(US\\$|[$£€¥₹])(${NUM})(?:\\s?(k|K|m|M|mn|mln|b|B|bn|tn|T))?$`);
const RE_MONEY_AFTER = new RegExp(`^([-−])?(${NUM})(?:\\s?(k|K|M|mn|bn|tn))?([$£€¥₹])$`);
const RE_MONEY_PER = new RegExp(`^(US\\$|[$£€¥₹])(${NUM})/(\\p{L}+)$`, "u");
const PER: Record<string, string> = { mo: "month", yr: "year", hr: "hour" };

/** "$5.30"; "$3 million": the scale word comes before the currency when said. */
export const money = figureRule("money", RE_MONEY, (m, tok, ctx) => {
  const next = tok.canLook && !m[4] ? ctx.next() : undefined;
  if (next && /^(thousand|million|billion|trillion)$/i.test(next.core)) {
    ctx.word(tok.start, tok.end, [...sign(m[1]), ...num(ctx, m[3]!)]);
    ctx.take(next, [next.core.toLowerCase(), CURRENCIES[m[2]!]!.main[1]]);
    return true;
  }
  return amount(ctx, m[1], m[2]!, m[3]!, m[4]);
});

/** "$5/mo": five dollars per month. */
export const moneyPer = figureRule("money per", RE_MONEY_PER, (m, _tok, ctx) => [
  ...amount(ctx, undefined, m[1]!, m[2]!, undefined),
  "per",
  PER[m[3]!.toLowerCase()] ?? m[3]!,
]);

/** "5€", "20 k€": the symbol after the amount. */
export const moneyAfter = figureRule("money after", RE_MONEY_AFTER, (m, _tok, ctx) =>
  amount(ctx, m[1], m[4]!, m[2]!, m[3]),
);

function amount(
  ctx: Context,
  neg: string | undefined,
  sym: string,
  digits: string,
  scale: string | undefined,
): string[] {
  const cur = CURRENCIES[sym]!;
  const gb = ctx.opts.dialect === "gb";
  const clean = digits.replace(/,/g, "");
  const out = neg ? ["minus"] : [];
  if (scale) return [...out, ...num(ctx, digits), SCALE_SUFFIX[scale]!, cur.main[1]];
  const [intPart, frac = ""] = clean.split(".");
  const whole = intPart === "" ? 0 : Number(intPart);
  if (frac.length === 2 || frac.length === 1) {
    const cents = Number(frac.padEnd(2, "0"));
    const parts: string[] = [];
    if (whole || !cents) parts.push(...cardinal(intPart || "0", gb), whole === 1 ? cur.main[0] : cur.main[1]);
    if (cents) {
      if (parts.length) parts.push("and");
      parts.push(...cardinal(String(cents)), cents === 1 ? cur.sub[0] : cur.sub[1]);
    }
    return [...out, ...parts];
  }
  if (frac.length > 2) return [...out, ...num(ctx, clean), cur.main[1]];
  return [...out, ...cardinal(intPart || "0", gb), whole === 1 ? cur.main[0] : cur.main[1]];
}
