/** Which language a request wants: `language`, else the voice's first letter (Kokoro's naming). */
import { Language, VOICE_PREFIX_LANGUAGE, voiceLanguage } from "@kokoro-edge/proto";
import { badRequest } from "@kokoro-edge/runtime";
import { own } from "./own";

export const SUPPORTED_LANGUAGES: readonly Language[] = Language.options;

/** What each language is called in messages. */
const NAMES: Record<Language, string> = {
  "en-us": "American English",
  "en-gb": "British English",
  es: "Spanish",
  "fr-fr": "French",
  hi: "Hindi",
  it: "Italian",
  "pt-br": "Brazilian Portuguese",
  ja: "Japanese",
  zh: "Mandarin Chinese",
};

export const languageName = (l: Language): string => NAMES[l];

/** Other spellings of each language accepted in `language` (tags, misaki's letters, names). */
const ALIASES: Record<string, Language> = {
  ...Object.fromEntries(Language.options.map((l) => [l, l])),
  ...VOICE_PREFIX_LANGUAGE,
  en_us: "en-us",
  us: "en-us",
  en: "en-us",
  american: "en-us",
  english: "en-us",
  en_gb: "en-gb",
  gb: "en-gb",
  "en-uk": "en-gb",
  uk: "en-gb",
  british: "en-gb",
  "es-es": "es",
  "es-mx": "es",
  "es-419": "es",
  spanish: "es",
  español: "es",
  fr: "fr-fr",
  fr_fr: "fr-fr",
  french: "fr-fr",
  français: "fr-fr",
  "hi-in": "hi",
  hindi: "hi",
  "it-it": "it",
  italian: "it",
  italiano: "it",
  pt: "pt-br",
  pt_br: "pt-br",
  portuguese: "pt-br",
  português: "pt-br",
  "ja-jp": "ja",
  jp: "ja",
  japanese: "ja",
  日本語: "ja",
  cmn: "zh",
  "zh-cn": "zh",
  "zh-hans": "zh",
  mandarin: "zh",
  chinese: "zh",
  中文: "zh",
};

export function resolveLanguage(language: string | undefined, voice: string | undefined): Language {
  const supported = SUPPORTED_LANGUAGES.join(", ");
  if (language !== undefined && language.trim() !== "") {
    const l = own(ALIASES, language.trim().toLowerCase());
    if (!l)
      throw badRequest(
        "unsupported_language",
        `Language "${language}" is not supported; this service speaks ${supported}.`,
        "language",
      );
    return l;
  }
  if (voice !== undefined && voice.trim() !== "") {
    const l = voiceLanguage(voice);
    if (l) return l;
    throw badRequest(
      "unsupported_language",
      `Cannot tell the language of voice "${voice}" (Kokoro's voices start with a letter for their language: a, b, e, f, h, i, j, p, z); pass "language" (${supported}).`,
      "voice",
    );
  }
  return "en-us";
}
