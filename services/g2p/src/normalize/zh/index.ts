/**
 * Mandarin: a run with Chinese characters (or a bare figure) is cut into words by the runtime's
 * dictionary word breaker (Intl.Segmenter), its figures written in characters first (25 二十五,
 * 2024年 二零二四年, 14:30 十四点三十分, ¥25 二十五元, $5 五美元, 25% 百分之二十五, 3.5 三点五);
 * Latin-script words are English's (its rule table reads them). `prepare` loads the pinyin
 * dictionary (pinyin-pro) on the first Mandarin text, for the pronunciation that follows.
 */
import type { LanguageNormalizer } from "../rule";
import { english, ENGLISH_RULES } from "../en";
import { cjkRule, type Segmenter } from "../cjk/reader";

let segmenter: Segmenter | undefined;
let loading: Promise<void> | undefined;

function prepare(): Promise<void> {
  loading ??= (async () => {
    const zh = await import("../../pronounce/zh");
    segmenter = zh.segmentMandarin;
  })().catch((err: unknown) => {
    loading = undefined;
    throw new Error(`the Mandarin reader could not be loaded (${(err as Error).message})`);
  });
  return loading;
}

const wholePiece: Segmenter = (text) => [[0, text.length]];

export const mandarin: LanguageNormalizer = {
  rules: [cjkRule("zh", () => segmenter ?? wholePiece, true), ...ENGLISH_RULES],
  wordPeriod: english.wordPeriod,
  leadingApostrophe: english.leadingApostrophe,
  keepsTrailingApostrophe: english.keepsTrailingApostrophe,
  prepare,
};
