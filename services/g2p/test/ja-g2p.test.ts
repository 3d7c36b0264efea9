/** Japanese G2P: kana to Kokoro phonemes, numbers with counters, and the analyser's readings (kuromoji, offline). */
import { beforeAll, describe, expect, test } from "bun:test";
import {
  kanaToPhonemes,
  loadJapaneseAnalyser,
  pronounceJapanese,
  readNumberWord,
  segmentJapanese,
} from "../src/pronounce/ja";
import { parseKanjiNumber } from "../src/pronounce/ja/numbers";
import { loadVocabFile, type Vocab } from "../src/vocab";
import { KOKORO_CONFIG } from "./shared";

let vocab: Vocab;

beforeAll(async () => {
  vocab = await loadVocabFile(KOKORO_CONFIG);
  await loadJapaneseAnalyser();
}, 30_000);

describe("kana -> phonemes (misaki's table)", () => {
  test.each([
    ["かきくけこ", "kakʲikɯkeko"],
    ["しつふ", "ɕiʦɨɸɯ"],
    ["らりるれろ", "ɾaɾʲiɾɯɾeɾo"],
    ["わを", "βao"],
    ["きょう", "kʲoɯ"],
    ["キョー", "kʲoː"],
    ["がっこう", "ɡaʔkoɯ"],
    ["しんぶん", "ɕimbɯɴ"],
    ["かんこう", "kaŋkoɯ"],
    ["こんにちは", "koɲɲiʨiha"],
    ["あんない", "annai"],
    ["ほん", "hoɴ"],
    ["ティー", "tʲiː"],
    ["ファイル", "ɸaiɾɯ"],
    ["ジュース", "ʥɨːsɨ"],
    ["ウィ", "βi"],
  ])("%s -> %s", (kana, ph) => {
    expect(kanaToPhonemes(kana)).toBe(ph);
  });

  test("every kana's phonemes are in Kokoro's vocab", () => {
    const all: string[] = [];
    for (let c = 0x3041; c <= 0x3096; c++) all.push(String.fromCodePoint(c));
    for (let c = 0x30a1; c <= 0x30fa; c++) all.push(String.fromCodePoint(c));
    for (const pair of ["きゃ", "ぎゅ", "しょ", "ちぇ", "ふぁ", "てぃ", "でゅ", "くぁ", "ゔぉ", "つぃ"])
      all.push(pair);
    for (const k of all) for (const ch of kanaToPhonemes(k)) expect([k, vocab.has(ch)]).toEqual([k, true]);
  });
});

describe("numbers and counters", () => {
  test("kanji numerals parse", () => {
    expect(parseKanjiNumber("二千二十五")?.int).toBe(2025n);
    expect(parseKanjiNumber("一万五百")?.int).toBe(10500n);
    expect(parseKanjiNumber("三億")?.int).toBe(300_000_000n);
    expect(parseKanjiNumber("三点一四")).toEqual({ negative: false, int: 3n, frac: "一四" });
    expect(parseKanjiNumber("〇九〇")).toEqual({ negative: false, digits: "〇九〇" });
    expect(parseKanjiNumber("一緒")).toBeUndefined();
  });
  test.each([
    ["二十五", "にじゅーご"],
    ["三百", "さんびゃく"],
    ["六百", "ろっぴゃく"],
    ["八百", "はっぴゃく"],
    ["三千", "さんぜん"],
    ["八千", "はっせん"],
    ["一万", "いちまん"],
    ["一兆", "いっちょー"],
    ["三本", "さんぼん"],
    ["一本", "いっぽん"],
    ["十本", "じゅっぽん"],
    ["十分", "じゅっぷん"],
    ["三分", "さんぷん"],
    ["五分", "ごふん"],
    ["一日", "ついたち"],
    ["二十日", "はつか"],
    ["二十五日", "にじゅーごにち"],
    ["四月", "しがつ"],
    ["九月", "くがつ"],
    ["四時", "よじ"],
    ["七時", "しちじ"],
    ["一人", "ひとり"],
    ["四人", "よにん"],
    ["三階", "さんがい"],
    ["一回", "いっかい"],
    ["第三回", "だいさんかい"],
    ["八歳", "はっさい"],
    ["一パーセント", "いっパーセント"],
    ["五円", "ごえん"],
    ["四円", "よえん"],
    ["三点一四", "さんてんいちよん"],
    ["マイナス五", "まいなすご"],
    ["〇九〇", "ぜろきゅーぜろ"],
  ])("%s -> %s", (word, kana) => {
    expect(readNumberWord(word)).toBe(kana);
  });
});

describe("words through the analyser", () => {
  test.each([
    ["今日は", "kʲoː βa"],
    ["東京", "toːkʲoː"],
    ["行きました", "ikʲi maɕi ta"],
    ["買った", "kaʔta"],
    ["二十五日です", "ɲiʥɨːɡoɲiʨi desɨ"],
    ["三百円でした", "sambʲakɯeɴ deɕi ta"],
    ["コンピューター", "kompʲɨːtaː"],
    ["日本語の", "ɲihoŋɡo no"],
  ])("%s -> %s", (word, ph) => {
    expect(pronounceJapanese(word)).toBe(ph);
  });

  test("segmentation keeps particles and auxiliaries with their word and covers the text", () => {
    const text = "今日は二十五日です。東京都に行きました";
    const spans = segmentJapanese(text);
    expect(spans.map(([a, b]) => text.slice(a, b))).toEqual([
      "今日は",
      "二十五日です",
      "。",
      "東京都に",
      "行きました",
    ]);
  });
});
