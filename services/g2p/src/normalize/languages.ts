/**
 * Which rules read which language: one entry per language, each an ordered
 * rule table (see rule.ts). A new language adds its own folder (like en/) and
 * one line here.
 */
import type { Language } from "@kokoro-edge/proto";
import { english } from "./en";
import { spanish } from "./es";
import { italian } from "./it";
import { portuguese } from "./pt";
import type { LanguageNormalizer } from "./rule";

export const NORMALIZERS: Record<Language, LanguageNormalizer> = {
  "en-us": english,
  "en-gb": english,
  // each language below gets its own rule table (normalize/<lang>/); until then, English's
  es: spanish,
  "fr-fr": english,
  hi: english,
  it: italian,
  "pt-br": portuguese,
  ja: english,
  zh: english,
};

export function normalizerFor(language: Language = "en-us"): LanguageNormalizer {
  return NORMALIZERS[language];
}
