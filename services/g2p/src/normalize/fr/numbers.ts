/**
 * Rules for figures other than money, times and dates: plain numbers (with
 * what may follow them in the next run: "%", a currency, "h", a unit),
 * percentages, ordinals ("1er", "2e", "21e"), "n° 5", attached units ("5km").
 */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { digitByDigit, cardinal, ordinal } from "./number-words";
import { NUM, numberWords, readNumber, sayPieces, singular } from "./figures";
import { currencyAfter, sayAmount } from "./money";
import { hourRuns } from "./time";
import { UNITS } from "./abbreviations";
import { own } from "../../own";

const RE_PERCENT = new RegExp(`^([-−+])?(${NUM})(?:[,.](\\d+))?%$`);
const RE_ORDINAL = /^(\d+)(er|re|ère|ere|e|ème|eme|è|nd|nde|ers|res|ères|es|èmes)$/;
const RE_NUMERO = /^[nN][°º](\d+)$/;
const RE_UNIT_ATTACHED = new RegExp(`^([-−])?(${NUM})(?:,(\\d+))?(km/h|km|kg|cm|mm|ml|m|g|l|L|°C|°)$`);

/** "25%", "2,5%": vingt-cinq pour cent. */
export const percent = figureRule("percent", RE_PERCENT, (m, tok, ctx) => {
  const n = readNumber(
    { ...tok, text: (m[1] ?? "") + m[2]! + (m[3] ? `,${m[3]}` : ""), canLook: false },
    ctx,
  );
  return n && [...numberWords(n).flat(), "pour", "cent"];
});

/** "1er" premier, "1re" première, "2e" deuxième, "2nd" second, "21e" vingt et unième, "3es" troisièmes. */
export const ordinalRule = figureRule("ordinal", RE_ORDINAL, (m) => {
  const suffix = m[2]!;
  if (suffix === "nd") return ["second"];
  if (suffix === "nde") return ["seconde"];
  const fem = /^(re|ère|res|ères)$/.test(suffix);
  const words = ordinal(m[1]!, fem);
  if (/s$/.test(suffix)) words[words.length - 1] += "s";
  return words;
});

/** "n°5": numéro cinq ("n° 5" is two runs: the abbreviation, then the number). */
export const numero = figureRule("numero", RE_NUMERO, (m) => ["numéro", ...cardinal(m[1]!)]);

/** "5km", "20°C". */
export const attachedUnit = figureRule("attached unit", RE_UNIT_ATTACHED, (m, tok, ctx) => {
  const n = readNumber(
    { ...tok, text: (m[1] ?? "") + m[2]! + (m[3] ? `,${m[3]}` : ""), canLook: false },
    ctx,
  );
  const unit = own(UNITS, m[4]!);
  return n && unit && [...numberWords(n, unit.fem).flat(), ...(singular(n) ? unit.one : unit.many)];
});

/** A number, and what reads with it in the next run: "25 %", "25 €", "14 h 30", "5 km", "1 000 000". */
export const plainNumber = figureRule("number", /^[-−+]?\d/, (_m, tok, ctx) => {
  const n = readNumber(tok, ctx);
  if (!n) return;
  // "007", "06": a leading zero is said digit by digit (phone numbers are read in pairs: 06 12 ...)
  if (n.pieces.length === 1 && n.frac === undefined && !n.sign && n.int.length > 1 && n.int.startsWith("0"))
    return digitByDigit(n.int);
  if (n.canLook && afterNumber(ctx, n)) return true;
  sayPieces(ctx, n, numberWords(n));
  return true;
});

/** Reads the run after a number when it goes with it; false when it does not. */
function afterNumber(ctx: Context, n: ReturnType<typeof readNumber> & object): boolean {
  const k = n.pieces.length - 1;
  const next = ctx.next(k);
  if (!next) return false;
  if (next.core === "%") {
    sayPieces(ctx, n, numberWords(n));
    ctx.take(next, ["pour", "cent"]);
    return true;
  }
  const cur = currencyAfter(next);
  if (cur) {
    sayAmount(ctx, n, cur, next);
    return true;
  }
  if (k === 0 && n.frac === undefined && !n.sign && n.int.length <= 2) {
    const p = n.pieces[0]!;
    if (hourRuns(ctx, Number(n.int), p.start, p.end)) return true;
  }
  const unit = own(UNITS, next.core);
  if (unit) {
    sayPieces(ctx, n, numberWords(n, unit.fem));
    ctx.take(next, singular(n) ? unit.one : unit.many);
    return true;
  }
  return false;
}
