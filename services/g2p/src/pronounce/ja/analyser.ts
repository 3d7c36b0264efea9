/**
 * The Japanese morphological analyser: kuromoji (Apache-2.0) with the IPADIC
 * dictionary inside its npm package, so it works offline. Building it reads
 * ~40 MB of compressed dictionary (1.7 s, ~250 MB more resident memory), so it
 * is built once per process, on the first Japanese request, and shared.
 * IPADIC gives each morpheme's part of speech, reading and pronunciation (発音:
 * トーキョー, with the particle は as ワ); it has no pitch accent.
 */
import kuromoji, { type IpadicFeatures, type Tokenizer } from "kuromoji";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface Morpheme {
  surface: string;
  /** Offsets in the analysed text. */
  start: number;
  end: number;
  /** Part of speech and its first two details (名詞 数, 名詞 接尾 助数詞, 助詞 格助詞...). */
  pos: string;
  pos1: string;
  pos2: string;
  /** Pronunciation in katakana (with ー), when the dictionary knows the word. */
  pron?: string;
  known: boolean;
}

let building: Promise<Tokenizer> | undefined;
let ready: Tokenizer | undefined;

function dictionaryPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("kuromoji/package.json")), "dict");
}

/** Builds the analyser once; later calls get the same one. */
export function loadJapaneseAnalyser(): Promise<Tokenizer> {
  building ??= new Promise<Tokenizer>((resolve, reject) => {
    kuromoji.builder({ dicPath: dictionaryPath() }).build((err, tokenizer) => {
      if (err) reject(err);
      else {
        ready = tokenizer;
        resolve(tokenizer);
      }
    });
  }).catch((e: unknown) => {
    building = undefined; // a later request may try again
    throw e;
  });
  return building;
}

/** The analyser if it is built already (normalisation runs synchronously). */
export function japaneseAnalyserReady(): boolean {
  return ready !== undefined;
}

/** `start`: where the morpheme begins in UTF-16 units (kuromoji counts code points: 𠮷 is one). */
function toMorpheme(t: IpadicFeatures, start: number): Morpheme {
  const pron = t.pronunciation && t.pronunciation !== "*" ? t.pronunciation : undefined;
  return {
    surface: t.surface_form,
    start,
    end: start + t.surface_form.length,
    pos: t.pos,
    pos1: t.pos_detail_1,
    pos2: t.pos_detail_2,
    ...(pron ? { pron } : {}),
    known: t.word_type === "KNOWN",
  };
}

/**
 * kuromoji cuts a text at its sentence marks, but within one sentence its
 * lattice builder copies the rest of the sentence at every character: a long
 * run with no mark costs the square of its length (20,000 kana took 11 s). So
 * a longer run is analysed a window at a time; each window keeps only the
 * morphemes that end well before its edge, where the best path no longer
 * depends on what follows, and the next window starts where they end.
 */
export const ANALYSIS_WINDOW = 256;
/** How far from a window's edge a morpheme must end to be kept (the rest is analysed again in the next window). */
export const WINDOW_MARGIN = 48;

/** Morphemes of `text` (the analyser must be loaded: see loadJapaneseAnalyser). */
export function analyse(text: string): Morpheme[] {
  if (!ready) throw new Error("the Japanese analyser is not loaded yet");
  const out: Morpheme[] = [];
  let from = 0;
  while (from < text.length) {
    let to = Math.min(text.length, from + ANALYSIS_WINDOW);
    if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to--; // never split a pair
    const last = to === text.length;
    const ms = morphemes(ready, text.slice(from, to), from);
    let keep = ms.length;
    if (!last) {
      const edge = to - WINDOW_MARGIN;
      while (keep > 1 && ms[keep - 1]!.end > edge) keep--;
    }
    out.push(...ms.slice(0, keep));
    if (last) break;
    from = keep > 0 ? ms[keep - 1]!.end : to;
  }
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** kuromoji's morphemes of `piece`, placed at `base` in the whole text. */
function morphemes(tokenizer: Tokenizer, piece: string, base: number): Morpheme[] {
  // the morphemes follow one another through the text: place each after the one before
  let cursor = 0;
  return tokenizer.tokenize(piece).map((t) => {
    const at = piece.indexOf(t.surface_form, cursor);
    const m = toMorpheme(t, base + (at >= 0 ? at : cursor));
    cursor = m.end - base;
    return m;
  });
}
