/**
 * Italian (it): the shared Romance rule table (../romance) with Italian
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
import {
  ABBREVIATIONS,
  ACRONYM_WORDS,
  BARE_WORDS,
  keepsTrailingApostrophe,
  LETTERS,
  PAIRS,
  SYMBOLS,
} from "./words";

export const ITALIAN: RomanceLanguage = {
  cardinal,
  ordinal,
  ordinalMark,
  ...NUMBER_WORDS,
  months: MONTHS,
  date,
  firstOfMonth: "primo",
  time,
  currencies: CURRENCIES,
  ...MONEY_WORDS,
  abbreviations: ABBREVIATIONS,
  pairs: PAIRS,
  bareWords: BARE_WORDS,
  letters: LETTERS,
  acronymWords: ACRONYM_WORDS,
  symbols: SYMBOLS,
  roman: (n) => ordinal(n, "m") ?? cardinal(String(n)),
  keepsTrailingApostrophe,
};

export const italian: LanguageNormalizer = romanceNormalizer(ITALIAN);
