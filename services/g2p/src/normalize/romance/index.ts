/**
 * The rule table shared by Spanish, Italian and Brazilian Portuguese, built
 * from a language's words (types.ts). In order: overlong tokens, money before
 * plain numbers, times before dates, dates before numbers, ordinals and other
 * figures, then abbreviations and words, and last the rule that says anything
 * part by part.
 */
import type { LanguageNormalizer } from "../rule";
import { dateRules } from "./dates";
import { mixedRules } from "./mixed";
import { moneyRules } from "./money";
import { numberRules } from "./numbers";
import { timeRules } from "./time";
import type { RomanceLanguage } from "./types";
import { romanceWordPeriod, wordRules } from "./words";

export type { RomanceLanguage } from "./types";

export function romanceNormalizer(lang: RomanceLanguage): LanguageNormalizer {
  const { longRun, mixed } = mixedRules(lang);
  const normalizer: LanguageNormalizer = {
    rules: [
      longRun,
      ...moneyRules(lang),
      ...timeRules(lang),
      ...dateRules(lang),
      ...numberRules(lang),
      ...wordRules(lang, () => normalizer),
      mixed,
    ],
    wordPeriod: romanceWordPeriod(lang),
    leadingApostrophe: /^['’]\d{2}(?!\d)/,
    keepsTrailingApostrophe: lang.keepsTrailingApostrophe,
  };
  return normalizer;
}
