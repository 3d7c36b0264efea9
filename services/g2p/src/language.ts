/** Which language a request wants: `language`, else the voice's first letter. */
import type { Language } from "@kokoro-edge/proto";
import { badRequest } from "@kokoro-edge/runtime";

export const SUPPORTED_LANGUAGES: readonly Language[] = ["en-us", "en-gb"];

const ALIASES: Record<string, Language> = {
  "en-us": "en-us",
  en_us: "en-us",
  us: "en-us",
  en: "en-us",
  "en-gb": "en-gb",
  en_gb: "en-gb",
  gb: "en-gb",
  "en-uk": "en-gb",
  uk: "en-gb",
  a: "en-us",
  b: "en-gb",
  american: "en-us",
  british: "en-gb",
  english: "en-us",
};

/** Kokoro voice prefixes (first letter) and the language they speak. */
const VOICE_LANG: Record<string, string> = {
  a: "en-us",
  b: "en-gb",
  e: "Spanish",
  f: "French",
  h: "Hindi",
  i: "Italian",
  j: "Japanese",
  p: "Brazilian Portuguese",
  z: "Mandarin Chinese",
};

/** A record's own entry only: a key such as "__proto__" or "constructor" is not a language. */
const own = <T>(r: Record<string, T>, k: string): T | undefined => (Object.hasOwn(r, k) ? r[k] : undefined);

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
    const first = voice.trim()[0]!.toLowerCase();
    const l = own(ALIASES, first);
    if (l) return l;
    const name = own(VOICE_LANG, first);
    throw badRequest(
      "unsupported_language",
      name
        ? `Voice "${voice}" speaks ${name}, which this service cannot phonemize yet; it speaks ${supported} (voices starting with "a" or "b").`
        : `Cannot tell the language of voice "${voice}"; pass "language" (${supported}).`,
      "voice",
    );
  }
  return "en-us";
}
