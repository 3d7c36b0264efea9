/**
 * Japanese: a run with kana or kanji (or a bare figure) is cut into words by the morphological
 * analyser (a content word with the particles and endings that lean on it: 今日は, 行きました), its
 * figures written as kanji numerals first (25 二十五, 2024年12月5日, 14:30 十四時三十分, ¥1,000 千円,
 * 25% 二十五パーセント); Latin-script words are English's (its rule table reads them). The analyser
 * (kuromoji's dictionary: ~1.7 s and ~250 MB) is loaded by `prepare`, on the first Japanese text.
 */
import type { LanguageNormalizer } from "../rule";
import { english, ENGLISH_RULES } from "../en";
import { cjkRule, type Segmenter } from "../cjk/reader";

let segmenter: Segmenter | undefined;
let loading: Promise<void> | undefined;

function prepare(): Promise<void> {
  loading ??= (async () => {
    const ja = await import("../../pronounce/ja");
    await ja.loadJapaneseAnalyser();
    segmenter = ja.segmentJapanese;
  })().catch((err: unknown) => {
    loading = undefined; // the next Japanese text tries again
    throw new Error(`the Japanese dictionary could not be loaded (${(err as Error).message})`);
  });
  return loading;
}

/** Before the analyser is in (it always is once prepare resolved): the whole piece as one word. */
const wholePiece: Segmenter = (text) => [[0, text.length]];

export const japanese: LanguageNormalizer = {
  rules: [cjkRule("ja", () => segmenter ?? wholePiece), ...ENGLISH_RULES],
  wordPeriod: english.wordPeriod,
  leadingApostrophe: english.leadingApostrophe,
  keepsTrailingApostrophe: english.keepsTrailingApostrophe,
  prepare,
};
