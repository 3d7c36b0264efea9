/**
 * Rules for figures other than money, times and dates: plain numbers (with a
 * "%" or a unit in the next run), percentages, written ordinals ("1ला", "2री",
 * "5वाँ", "5वीं", "5वें").
 */
import { figureRule } from "../rule";
import { own } from "../../own";
import { digitByDigit, ordinal } from "./number-words";
import { NUM, numberWords } from "./figures";
import { UNITS } from "./tables";

const RE_PERCENT = new RegExp(`^([-−+]?(?:${NUM})(?:\\.\\d+)?)%$`);
const RE_ORDINAL = /^(\d+)(ला|ली|ले|रा|री|रे|था|थी|थे|ठा|ठी|ठे|वाँ|वां|वीं|वी|वें|वे)$/;
const RE_UNIT_ATTACHED = new RegExp(`^((?:${NUM})(?:\\.\\d+)?)(km|kg|cm|m|g|l|°C|°)$`);

/** "25%": पच्चीस प्रतिशत. */
export const percent = figureRule("percent", RE_PERCENT, (m) => {
  const w = numberWords(m[1]!);
  return w && [...w, "प्रतिशत"];
});

/** "1ला" पहला, "2री" दूसरी, "5वाँ" पाँचवाँ, "5वीं" पाँचवीं, "10वें" दसवें. */
export const ordinalRule = figureRule("ordinal", RE_ORDINAL, (m) => {
  const suffix = m[2]!;
  const ending = suffix.replace(/[ँं]$/, "").slice(-1) as "ा" | "ी" | "े";
  return ordinal(m[1]!, ending);
});

/** "5km". */
export const attachedUnit = figureRule("attached unit", RE_UNIT_ATTACHED, (m) => {
  const w = numberWords(m[1]!);
  const unit = own(UNITS, m[2]!);
  return w && unit && [...w, ...unit];
});

/** A number, and a "%" or unit in the next run: "25 %", "5 km". */
export const plainNumber = figureRule("number", /^[-−+]?\d/, (_m, tok, ctx) => {
  const t = tok.text;
  const words = numberWords(t);
  if (!words) return;
  // "007": a leading zero is said digit by digit
  if (/^0\d+$/.test(t)) return digitByDigit(t);
  ctx.word(tok.start, tok.end, words);
  const next = tok.canLook ? ctx.next() : undefined;
  if (next?.core === "%") ctx.take(next, ["प्रतिशत"]);
  else if (next && own(UNITS, next.core)) ctx.take(next, own(UNITS, next.core)!);
  return true;
});
