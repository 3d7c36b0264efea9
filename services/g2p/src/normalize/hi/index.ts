/**
 * Hindi (hi): the ordered rule table. Devanagari digits are turned into
 * ASCII ones first (one character for one, so spans stay) and the token is
 * offered to the rest of the table; then money before plain numbers, times
 * and dates before other figures, and last the rule that says anything part
 * by part. The danda "।" and "॥" end a sentence (punct.ts).
 */
import type { LanguageNormalizer, Rule } from "../rule";
import { rule } from "../rule";
import { isoDate, numericDate } from "./dates";
import { longRun, mixed } from "./mixed";
import { moneyAfter, moneyBefore, moneySignFirst } from "./money";
import { asciiDigits } from "./number-words";
import { attachedUnit, ordinalRule, percent, plainNumber } from "./numbers";
import { clockTime } from "./time";
import { abbreviation, hindiWordPeriod, word } from "./words";

const RULES_AFTER_DIGITS: readonly Rule[] = [
  longRun,
  // money and percentages: "₹500", "Rs. 500", "$5", "25%"
  moneyBefore,
  moneyAfter,
  moneySignFirst,
  percent,
  // times and dates: "14:30", "5/12/2024", "2024-12-05"
  clockTime,
  numericDate,
  isoDate,
  // other figures: "5वाँ", "5km", "1,00,000", "3.5", "-4"
  ordinalRule,
  attachedUnit,
  plainNumber,
  // words: "डॉ.", "नमस्ते", "iPhone"
  abbreviation,
  word,
  mixed,
];

/** "२५" reads as "25": the token with ASCII digits goes to the rest of the table. */
const devanagariDigits = rule("devanagari digits", (tok, ctx) => {
  if (!/[०-९]/.test(tok.text)) return;
  const ascii = { ...tok, text: asciiDigits(tok.text), hasDigit: true };
  for (const r of RULES_AFTER_DIGITS) if ((ascii.hasDigit || !r.figures) && r.apply(ascii, ctx)) return true;
  return false;
});

export const HINDI_RULES: readonly Rule[] = [devanagariDigits, ...RULES_AFTER_DIGITS];

export const hindi: LanguageNormalizer = {
  rules: HINDI_RULES,
  wordPeriod: hindiWordPeriod,
  leadingApostrophe: /^(?!)/,
  keepsTrailingApostrophe: () => false,
};
