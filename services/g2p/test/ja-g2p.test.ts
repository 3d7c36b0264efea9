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

describe("a long run with no sentence mark", () => {
  // Natural sentences with their marks taken out, as a careless paste or a speech-to-text transcript gives them.
  const sentences = [
    "昨日は友達と一緒に駅前に新しくできた喫茶店へ行って美味しいケーキを食べながら来月の旅行の計画を話し合いました",
    "東京から大阪までは新幹線で二時間半ほどかかりますが車内では本を読んだり景色を眺めたりしてゆっくり過ごせます",
    "このプログラムは入力された文章を単語に分けてそれぞれの読み方を辞書で調べてから音声に変換しています",
    "雨が降りそうだったので傘を持って出かけたのに結局一日中晴れていて少し損をした気分になりました",
    "𠮷野家で牛丼を注文してから𩸽の定食も頼んでしまい食べきれるかどうか心配になった",
  ];
  const text = Array.from({ length: 40 }, (_, i) => sentences[i % sentences.length]).join("");

  test("is analysed a window at a time, morpheme for morpheme as the whole run would be", async () => {
    const { analyse, ANALYSIS_WINDOW } = await import("../src/pronounce/ja/analyser");
    const tokenizer = await loadJapaneseAnalyser();
    expect(text.length).toBeGreaterThan(ANALYSIS_WINDOW * 4);
    const whole = tokenizer.tokenize(text).map((t) => t.surface_form);
    const windowed = analyse(text);
    expect(windowed.map((m) => m.surface)).toEqual(whole);
    // the offsets cover the text in order, surrogate pairs included
    let at = 0;
    for (const m of windowed) {
      expect(m.start).toBe(at);
      expect(text.slice(m.start, m.end)).toBe(m.surface);
      at = m.end;
    }
    expect(at).toBe(text.length);
  });

  test("costs time in proportion to its length (kuromoji alone: the square of it)", async () => {
    const { analyse } = await import("../src/pronounce/ja/analyser");
    const run = (n: number) => {
      const s = "あいうえおかきくけこ".repeat(n / 10);
      const t0 = performance.now();
      const ms = analyse(s);
      expect(ms.map((m) => m.surface).join("")).toBe(s);
      return performance.now() - t0;
    };
    run(2_000); // warm
    const short = Math.min(run(2_000), run(2_000));
    const long = Math.min(run(20_000), run(20_000));
    // ten times the text: about ten times the time; the square would be a hundred
    console.log(`2,000 kana in ${short.toFixed(0)} ms, 20,000 in ${long.toFixed(0)} ms`);
    expect(long / short).toBeLessThan(30);
  });
});
