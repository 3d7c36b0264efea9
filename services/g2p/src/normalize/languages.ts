/**
 * Which rules read which language: one entry per language, each an ordered
 * rule table (see rule.ts). A new language adds its own folder (like en/) and
 * one line here.
 */
import type { Language } from "@kokoro-edge/proto";
import { english } from "./en";
import { french } from "./fr";
import { hindi } from "./hi";
import type { LanguageNormalizer } from "./rule";

export const NORMALIZERS: Record<Language, LanguageNormalizer> = {
  "en-us": english,
  "en-gb": english,
  es: english,
  "fr-fr": french,
  hi: hindi,
  it: english,
  "pt-br": english,
  ja: english,
  zh: english,
};

export function normalizerFor(language: Language = "en-us"): LanguageNormalizer {
  return NORMALIZERS[language];
}
