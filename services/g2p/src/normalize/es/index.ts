/**
 * Spanish (es): the shared Romance rule table (../romance) with Spanish
 * words. Figures are written "1.000.000" or "1 000 000", "3,5"; dates day
 * first; see each file for what it says and how.
 */
import { romanceNormalizer, type RomanceLanguage } from "../romance";
import type { LanguageNormalizer } from "../rule";
import { date, MONTHS } from "./dates";
import { CURRENCIES, MONEY_WORDS } from "./money";
import { cardinal, ordinal } from "./number-words";
import { NUMBER_WORDS, ordinalMark } from "./numbers";
import { time } from "./time";
import { ABBREVIATIONS, ACRONYM_WORDS, BARE_WORDS, LETTERS, PAIRS, SYMBOLS } from "./words";

export const SPANISH: RomanceLanguage = {
  cardinal,
  ordinal,
  ordinalMark,
  ...NUMBER_WORDS,
  months: MONTHS,
  date,
  time,
  currencies: CURRENCIES,
  ...MONEY_WORDS,
  abbreviations: ABBREVIATIONS,
  pairs: PAIRS,
  bareWords: BARE_WORDS,
  letters: LETTERS,
  acronymWords: ACRONYM_WORDS,
  symbols: SYMBOLS,
  roman: (n) => cardinal(String(n)),
  keepsTrailingApostrophe: () => false,
};

export const spanish: LanguageNormalizer = romanceNormalizer(SPANISH);
