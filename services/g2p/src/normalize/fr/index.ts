/**
 * French (fr-fr): the ordered rule table. Money before plain numbers, times
 * ("14h30") and dates ("5/12/2024") before other figures, ordinals ("1er",
 * "XXIe") before words, and last the rule that says anything part by part.
 * French spacing before ; : ! ? » leaves those marks as runs of their own,
 * which the shared reader says as punctuation.
 */
import type { LanguageNormalizer, Rule } from "../rule";
import { isoDate, numericDate } from "./dates";
import { longRun, mixed } from "./mixed";
import { moneyAfter, moneyBefore, moneySymbolFirst } from "./money";
import { attachedUnit, numero, ordinalRule, percent, plainNumber } from "./numbers";
import { clockTime, hourH } from "./time";
import { abbreviation, frenchWordPeriod, romanOrdinal, word } from "./words";

export const FRENCH_RULES: readonly Rule[] = [
  longRun,
  // money and percentages in one token: "€25", "25,50€", "25%"
  moneyBefore,
  moneyAfter,
  moneySymbolFirst,
  percent,
  // times and dates: "14h30", "14:30", "5/12/2024", "2024-12-05"
  hourH,
  clockTime,
  numericDate,
  isoDate,
  // other figures: "1er", "21e", "n°5", "5km", then plain numbers ("1 000 000", "3,5", "-5", "25 %", "14 h 30")
  ordinalRule,
  numero,
  attachedUnit,
  plainNumber,
  // words: "M.", "etc.", "XXIe", "l'homme"
  abbreviation,
  romanOrdinal,
  word,
  mixed,
];

export const french: LanguageNormalizer = {
  rules: FRENCH_RULES,
  wordPeriod: frenchWordPeriod,
  // no word starts with an apostrophe in French
  leadingApostrophe: /^(?!)/,
  // nor ends with one: a trailing apostrophe is a closing quote
  keepsTrailingApostrophe: () => false,
};
