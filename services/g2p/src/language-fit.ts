/**
 * Does a text fit the language it will be read in? Text in another script (Cyrillic read as Spanish,
 * Japanese read as Mandarin) or plainly another Latin-script language (English read with French
 * rules) is still read, but the caller gets a warning saying why it may sound wrong, and which
 * language would fit. Pure; looks at the first few thousand characters only.
 */
import type { Language } from "@kokoro-edge/proto";
import { languageName } from "./language";

const SAMPLE_CHARS = 4_000;

type Script =
  "Latin" | "Devanagari" | "Han" | "Kana" | "Cyrillic" | "Greek" | "Arabic" | "Hebrew" | "Hangul" | "Thai";
const SCRIPTS: Array<[Script, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Devanagari", /\p{Script=Devanagari}/u],
  ["Han", /\p{Script=Han}/u],
  ["Kana", /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Thai", /\p{Script=Thai}/u],
];

/** The scripts each language is written in. */
const WRITTEN_IN: Record<Language, readonly Script[]> = {
  "en-us": ["Latin"],
  "en-gb": ["Latin"],
  es: ["Latin"],
  "fr-fr": ["Latin"],
  it: ["Latin"],
  "pt-br": ["Latin"],
  hi: ["Devanagari"],
  ja: ["Han", "Kana"],
  zh: ["Han"],
};

/** A language that is written in a script (for the suggestion). */
const SUGGEST: Partial<Record<Script, Language>> = {
  Devanagari: "hi",
  Kana: "ja",
  Han: "zh",
  Latin: "en-us",
};

/** Frequent short words that mark a Latin-script language (its function words). */
const MARKERS: Record<"en" | "es" | "fr" | "it" | "pt", readonly string[]> = {
  en: [
    "the",
    "and",
    "is",
    "are",
    "of",
    "to",
    "with",
    "this",
    "that",
    "you",
    "was",
    "for",
    "have",
    "it",
    "not",
    "what",
  ],
  es: [
    "el",
    "los",
    "las",
    "que",
    "y",
    "es",
    "por",
    "con",
    "para",
    "del",
    "está",
    "pero",
    "muy",
    "como",
    "una",
    "yo",
  ],
  fr: [
    "le",
    "les",
    "des",
    "est",
    "et",
    "une",
    "pour",
    "avec",
    "dans",
    "qui",
    "pas",
    "vous",
    "nous",
    "sur",
    "ce",
    "je",
  ],
  it: [
    "il",
    "gli",
    "che",
    "è",
    "e",
    "per",
    "con",
    "della",
    "sono",
    "non",
    "questo",
    "anche",
    "come",
    "una",
    "io",
    "di",
  ],
  pt: [
    "o",
    "os",
    "que",
    "é",
    "e",
    "para",
    "com",
    "do",
    "da",
    "não",
    "está",
    "mas",
    "muito",
    "você",
    "uma",
    "eu",
  ],
};
const FAMILY: Partial<Record<Language, keyof typeof MARKERS>> = {
  "en-us": "en",
  "en-gb": "en",
  es: "es",
  "fr-fr": "fr",
  it: "it",
  "pt-br": "pt",
};
const FAMILY_LANGUAGE: Record<keyof typeof MARKERS, Language> = {
  en: "en-us",
  es: "es",
  fr: "fr-fr",
  it: "it",
  pt: "pt-br",
};

/** Scripts where every character is a word's worth of text; in the others a word is a run of letters. */
const SYLLABIC = new Set<Script>(["Han", "Kana", "Hangul"]);

/** How much of the text each script writes, in words (a CJK character counts as one). */
function scriptCounts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>();
  let prev: Script | undefined;
  for (const ch of text) {
    const s = /\p{L}/u.test(ch) ? SCRIPTS.find(([, re]) => re.test(ch))?.[0] : undefined;
    if (s && (s !== prev || SYLLABIC.has(s))) counts.set(s, (counts.get(s) ?? 0) + 1);
    // a combining mark (Devanagari's vowel signs) stays inside its word
    if (s || !/\p{M}/u.test(ch)) prev = s;
  }
  return counts;
}

/** Which Latin-script language the function words point to, when they point clearly to one. */
function latinGuess(text: string, requested: keyof typeof MARKERS): keyof typeof MARKERS | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const score = Object.fromEntries(Object.keys(MARKERS).map((k) => [k, 0])) as Record<
    keyof typeof MARKERS,
    number
  >;
  const sets = (Object.keys(MARKERS) as Array<keyof typeof MARKERS>).map(
    (k) => [k, new Set(MARKERS[k])] as const,
  );
  for (const w of words) for (const [k, set] of sets) if (set.has(w)) score[k]++;
  const [best, top] = Object.entries(score).sort((a, b) => b[1] - a[1])[0]! as [keyof typeof MARKERS, number];
  if (best === requested || top < 3 || top < 2 * score[requested] + 2) return undefined;
  return best;
}

/** Warnings about a text that does not fit `language` (empty when it fits). */
export function languageWarnings(text: string, language: Language): string[] {
  const sample = text.slice(0, SAMPLE_CHARS);
  const counts = scriptCounts(sample);
  const letters = [...counts.values()].reduce((a, b) => a + b, 0);
  if (letters < 2) return [];
  const name = languageName(language);
  const own = WRITTEN_IN[language].reduce((n, s) => n + (counts.get(s) ?? 0), 0);
  if (own / letters < 0.5) {
    const [script] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const fits = SUGGEST[script];
    return [
      `The text is mostly in ${script === "Kana" ? "Japanese kana" : `${script} script`}, which ${name} is not written in; ` +
        (script === "Latin"
          ? "Latin-script words are read with English's rules."
          : `${name} has no reading for those letters and they stay silent.`) +
        (fits ? ` Pass "language": "${fits}" if the text is ${languageName(fits)}.` : ""),
    ];
  }
  if (language === "ja" && !counts.get("Kana") && (counts.get("Han") ?? 0) >= 4)
    return [
      'The text has Chinese characters but no kana: it may be Chinese, which Japanese reads differently. Pass "language": "zh" if it is Mandarin.',
    ];
  if (language === "zh" && (counts.get("Kana") ?? 0) >= 2)
    return [
      'The text has Japanese kana, which Mandarin cannot read. Pass "language": "ja" if it is Japanese.',
    ];
  const family = FAMILY[language];
  if (family) {
    const guess = latinGuess(sample, family);
    if (guess) {
      const other = FAMILY_LANGUAGE[guess];
      return [
        `The text looks like ${guess === "en" ? "English" : languageName(other)}, but it is read as ${name}, with ${name}'s rules. Pass "language": "${other}" or pick a ${guess === "en" ? "English" : languageName(other)} voice if that is what it is.`,
      ];
    }
  }
  return [];
}
