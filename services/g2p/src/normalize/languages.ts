/**
 * Which rules read which language: one entry per language, each an ordered
 * rule table (see rule.ts). A new language adds its own folder (like en/) and
 * one line here.
 */
import type { Language } from "@kokoro-edge/proto";
import { english } from "./en";
import { spanish } from "./es";
import { french } from "./fr";
import { hindi } from "./hi";
import { italian } from "./it";
import { japanese } from "./ja";
import { portuguese } from "./pt";
import type { LanguageNormalizer } from "./rule";
import { mandarin } from "./zh";

export const NORMALIZERS: Record<Language, LanguageNormalizer> = {
  "en-us": english,
  "en-gb": english,
  es: spanish,
  "fr-fr": french,
  hi: hindi,
  it: italian,
  "pt-br": portuguese,
  ja: japanese,
  zh: mandarin,
};

export function normalizerFor(language: Language = "en-us"): LanguageNormalizer {
  return NORMALIZERS[language];
}
