/**
 * Words of the languages that are not English, in Kokoro's alphabet. Each language has a phrase
 * reader (the words between two marks, so a reader can use context: espeak-ng's stress and liaison,
 * Mandarin's tone sandhi): es, fr-fr, hi, it and pt-br through espeak-ng (espeak-languages.ts),
 * ja and zh through their own modules. A word that is not the language's own (Latin letters in
 * Hindi, Japanese or Mandarin text, or a word espeak-ng itself reads as English) is said with
 * English's rules by the caller's `english` function, so mixed text is spoken, never dropped.
 */
import type { Language } from "@kokoro-edge/proto";
import { espeakPhrases, isEspeakLanguage } from "./espeak-languages";

export interface NativeWord {
  phonemes: string;
  /** Say this word with English's rules instead. */
  english: boolean;
}

type PhraseReader = (phrases: readonly string[][]) => Promise<NativeWord[][]>;

const readers = new Map<Language, PhraseReader>([
  // loaded on first use (the normalisers' prepare has loaded them already: these imports are cached)
  [
    "ja",
    async (phrases) => {
      const ja = await import("./ja");
      // NFKC: half-width katakana (ｶﾀｶﾅ) and full-width letters read as their usual forms
      return phrases.map((p) =>
        p.map((w) => ({ phonemes: ja.pronounceJapanese(w.normalize("NFKC")), english: false })),
      );
    },
  ],
  [
    "zh",
    async (phrases) => {
      const zh = await import("./zh");
      return phrases.map((p) => zh.pronounceMandarin(p).map((phonemes) => ({ phonemes, english: false })));
    },
  ],
]);

const LATIN = /\p{Script=Latin}/u;
/** Languages written in another script: any Latin letter in a word makes it English. */
const NON_LATIN_SCRIPT = new Set<Language>(["hi", "ja", "zh"]);

function readerFor(language: Language): PhraseReader {
  const own = readers.get(language);
  if (own) return own;
  if (isEspeakLanguage(language))
    return async (phrases) =>
      (await espeakPhrases(phrases, language)).map((p) =>
        p.map((w) => ({ phonemes: w.phonemes, english: w.foreign })),
      );
  throw new Error(`no reader for ${language}`);
}

/**
 * Phonemes for the words of each phrase (a phrase is a list of words); English words are left to
 * `english` (called once with all of them).
 */
export async function readPhrases(
  language: Language,
  phrases: readonly string[][],
  english: (words: string[]) => Promise<string[]>,
): Promise<string[][]> {
  const out: Array<Array<string | undefined>> = phrases.map((p) => p.map(() => undefined));
  // words in the language's own script go to its reader, a phrase at a time
  const ownPhrases: string[][] = [];
  const ownAt: Array<Array<[number, number]>> = [];
  const flush = (cur: string[], at: Array<[number, number]>) => {
    if (!cur.length) return;
    ownPhrases.push(cur);
    ownAt.push(at);
  };
  phrases.forEach((p, i) => {
    let cur: string[] = [];
    let at: Array<[number, number]> = [];
    p.forEach((w, k) => {
      const foreign = NON_LATIN_SCRIPT.has(language) && LATIN.test(w);
      if (foreign || !/[\p{L}\p{N}]/u.test(w)) {
        // an English word (or a bare symbol) ends the language's own phrase
        flush(cur, at);
        cur = [];
        at = [];
        if (!foreign) out[i]![k] = "";
        return;
      }
      cur.push(w);
      at.push([i, k]);
    });
    flush(cur, at);
  });
  if (ownPhrases.length) {
    const read = await readerFor(language)(ownPhrases);
    read.forEach((phrase, n) =>
      phrase.forEach((word, k) => {
        const [i, j] = ownAt[n]![k]!;
        out[i]![j] = word.english ? undefined : word.phonemes;
      }),
    );
  }
  // what is left is English
  const todo: Array<[number, number]> = [];
  out.forEach((p, i) => p.forEach((ph, k) => ph === undefined && todo.push([i, k])));
  if (todo.length) {
    const said = await english(todo.map(([i, k]) => phrases[i]![k]!));
    todo.forEach(([i, k], n) => (out[i]![k] = said[n] ?? ""));
  }
  return out.map((p) => p.map((ph) => ph ?? ""));
}
