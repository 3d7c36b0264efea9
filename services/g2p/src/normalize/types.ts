/** What normalisation produces: spoken words and punctuation, each with the span of input it came from. */
import type { Language } from "@kokoro-edge/proto";

/** Break strength after an item: 0 none, 1 comma/dash, 2 clause (:;), 3 sentence end. */
export type Brk = 0 | 1 | 2 | 3;

export interface WordItem {
  kind: "word";
  start: number;
  end: number;
  /** Words to say. A single capital letter ("F") is said as the letter's name. */
  words: string[];
  /** Phonemes given by the user (inline `[word](/phonemes/)`), in Kokoro's alphabet. */
  phonemes?: string;
}

export interface PunctItem {
  kind: "punct";
  start: number;
  end: number;
  /** The symbol in Kokoro's vocab, or "" for marks that are not spoken (kept for coverage). */
  ph: string;
  brk: Brk;
  /** Opening marks attach to the next word, others to the previous one. */
  opening?: boolean;
}

/** Dropped characters (emoji, control characters): covered, silent. */
export interface SilentItem {
  kind: "silent";
  start: number;
  end: number;
}

/** A `[pause:0.5s]` tag or a paragraph break. */
export interface PauseItem {
  kind: "pause";
  start: number;
  end: number;
  seconds: number;
}

export type Item = WordItem | PunctItem | SilentItem | PauseItem;

export interface NormalizeOptions {
  /** Whose rules read the text (languages.ts); en-us when not given. */
  language?: Language;
  /** en-us reads numeric dates month/day, en-gb day/month, and says "hundred and". */
  dialect: "us" | "gb";
  /** Does the lexicon know this exact spelling (acronyms said as words: NASA)? */
  known: (word: string) => boolean;
  /** Is this all-caps spelling said as a word (NASA), not letters (FBI, US)? Defaults to `known`. */
  saidAsWord?: (word: string) => boolean;
}
