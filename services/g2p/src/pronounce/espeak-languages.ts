/**
 * Kokoro's espeak-ng languages (es, fr-fr, hi, it, pt-br): every word through Debian's espeak-ng in
 * that language (a child process, espeak-process.ts), mapped into Kokoro's alphabet the way misaki's
 * EspeakG2P does for Kokoro v1.0:
 *
 * - espeak-ng is asked for IPA with stress marks and "^" tying multi-letter phonemes (`--tie=^`);
 * - tied pairs become Kokoro's one-letter symbols: a^ɪ I, a^ʊ W, d^z ʣ, d^ʒ ʤ, e^ɪ A, o^ʊ O, ə^ʊ Q,
 *   s^s S, t^s ʦ, t^ʃ ʧ, ɔ^ɪ Y;
 * - the ties left over and espeak's hyphens ("le-z amˈi") are dropped; everything else, nasal vowels
 *   included (ɐ̃, ɔ̃), passes as it is; symbols the vocab lacks are dropped later by Vocab.clean.
 *
 * A phrase (the words between two marks) is one line, so espeak reads each word in its phrase
 * (unstressed articles, French liaison); its answer is split at spaces. When the answer does not
 * line up with the words, each word is asked alone. espeak-ng marks the words it reads as another
 * language ("(en)ˈəʊla(hi)"); those words are reported as such, and the caller says them with
 * English's rules.
 */
import type { Language } from "@kokoro-edge/proto";
import { espeakProcess } from "./espeak";

/** The espeak-ng voice for each language read through espeak (misaki's language codes). */
export const ESPEAK_VOICES: Partial<Record<Language, string>> = {
  es: "es",
  "fr-fr": "fr-fr",
  hi: "hi",
  it: "it",
  "pt-br": "pt-br",
};

export const isEspeakLanguage = (l: Language): boolean => ESPEAK_VOICES[l] !== undefined;

const TIE = "^";
/** misaki's EspeakG2P table (Kokoro v1.0): espeak-ng's tied phonemes -> Kokoro's symbols. */
export const ESPEAK_TO_KOKORO: ReadonlyArray<readonly [string, string]> = [
  ["a^ɪ", "I"],
  ["a^ʊ", "W"],
  ["d^z", "ʣ"],
  ["d^ʒ", "ʤ"],
  ["e^ɪ", "A"],
  ["o^ʊ", "O"],
  ["ə^ʊ", "Q"],
  ["s^s", "S"],
  ["t^s", "ʦ"],
  ["t^ʃ", "ʧ"],
  ["ɔ^ɪ", "Y"],
];

/** One word of espeak-ng's IPA (no language flags) -> Kokoro's alphabet. */
export function espeakIpaToKokoro(ipa: string): string {
  let s = ipa.normalize("NFC");
  for (const [from, to] of ESPEAK_TO_KOKORO) s = s.split(from).join(to);
  return s.replaceAll(TIE, "").replaceAll("-", "").trim();
}

export interface EspeakWord {
  /** Kokoro phonemes (before vocab cleaning); "" when espeak said nothing. */
  phonemes: string;
  /** espeak-ng read this word as another language (an English word in Hindi text): say it with English's rules. */
  foreign: boolean;
}

const FLAG = /\(([a-z]{2,3}(?:-[a-z0-9]+)?)\)/g;

/**
 * Splits one line of espeak-ng's answer into words, noting which were read in another language:
 * "(en)ˈəʊla(hi) hˈɛ" -> [ˈəʊla (foreign), hˈɛ].
 */
export function splitAnswer(line: string, voice: string): Array<{ ipa: string; foreign: boolean }> {
  const home = voice.split("-")[0]!;
  const out: Array<{ ipa: string; foreign: boolean }> = [];
  let current = home;
  for (const raw of line.trim().split(/\s+/)) {
    if (!raw) continue;
    let foreign = current !== home;
    let ipa = "";
    let last = 0;
    for (const m of raw.matchAll(FLAG)) {
      ipa += raw.slice(last, m.index);
      last = m.index! + m[0].length;
      current = m[1]!.split("-")[0]!;
      // a flag before any of the word's sounds says what the word is read as
      if (!ipa) foreign = current !== home;
    }
    ipa += raw.slice(last);
    if (ipa) out.push({ ipa, foreign });
  }
  return out;
}

/** Answers by voice and phrase (texts repeat their phrases: greetings, names, list items). */
const cache = new Map<string, EspeakWord[]>();
const CACHE_MAX = 20_000;

/** Forgets every answer (the speed bench measures espeak-ng's own cost with it). */
export function clearEspeakPhraseCache(): void {
  cache.clear();
}

/**
 * Phonemes for the words of each phrase, in `language` (an espeak language). Rejects when espeak-ng
 * cannot run (not installed): these languages have no other reader.
 */
export async function espeakPhrases(
  phrases: readonly string[][],
  language: Language,
): Promise<EspeakWord[][]> {
  const voice = ESPEAK_VOICES[language];
  if (!voice) throw new Error(`${language} is not read through espeak-ng`);
  // a word is one token of the line: letters, figures, apostrophes and hyphens only (a period or
  // a comma would make espeak-ng end a clause there); callers pass words with a letter or a figure
  const lineOf = (words: readonly string[]) =>
    words.map((w) => w.replace(/[^\p{L}\p{M}\p{N}'’-]+/gu, "") || "-").join(" ");
  const key = (line: string) => `${voice}\u0000${line}`;
  const todo = [...new Set(phrases.filter((p) => p.length).map(lineOf))].filter((l) => !cache.has(key(l)));
  if (todo.length) {
    const espeak = espeakProcess(voice, TIE);
    // a line per phrase; when the answer does not line up (espeak-ng cut a phrase into clauses), each phrase alone
    let answers = await espeak.ipa(todo);
    if (answers.length !== todo.length)
      answers = await Promise.all(todo.map(async (line) => (await espeak.lines([line])).join(" ")));
    const byLine = new Map<string, EspeakWord[]>();
    for (let i = 0; i < todo.length; i++) {
      const line = todo[i]!;
      const words = line.split(" ");
      let parts = splitAnswer(answers[i]!, voice);
      if (parts.length !== words.length) {
        // espeak joined or split words here (spelled an acronym, said nothing for a symbol): a line
        // per word in one request, each word alone only if even that does not line up
        let alone = await espeak.ipa(words);
        if (alone.length !== words.length)
          alone = await Promise.all(words.map(async (w) => (await espeak.lines([w])).join(" ")));
        parts = alone.map((l) => {
          const got = splitAnswer(l, voice);
          return {
            ipa: got.map((g) => g.ipa).join(""),
            foreign: got.length > 0 && got.every((g) => g.foreign),
          };
        });
      }
      byLine.set(
        line,
        parts.map((p) => ({ phonemes: espeakIpaToKokoro(p.ipa), foreign: p.foreign })),
      );
    }
    if (cache.size + byLine.size > CACHE_MAX) cache.clear();
    for (const [line, words] of byLine) cache.set(key(line), words);
  }
  return phrases.map((p) =>
    p.length ? (cache.get(key(lineOf(p))) ?? p.map(() => ({ phonemes: "", foreign: false }))) : [],
  );
}
