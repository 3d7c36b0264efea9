/** Mandarin G2P: pinyin to Kokoro phonemes with tone arrows, tone sandhi, word segmentation. */
import { beforeAll, describe, expect, test } from "bun:test";
import {
  pinyinToPhonemes,
  pronounceMandarin,
  segmentMandarin,
  syllables,
  thirdToneSandhi,
} from "../src/pronounce/zh";
import { loadVocabFile, type Vocab } from "../src/vocab";
import { KOKORO_CONFIG } from "./shared";

let vocab: Vocab;
beforeAll(async () => {
  vocab = await loadVocabFile(KOKORO_CONFIG);
});

describe("pinyin -> phonemes (misaki's mapping)", () => {
  test.each([
    ["zhong1", "ꭧʊ→ŋ"],
    ["guo2", "kwo↗"],
    ["ni3", "ni↓"],
    ["shi4", "ʂɨ↘"],
    ["zi3", "ʦɨ↓"],
    ["ri4", "ɻɨ↘"],
    ["de0", "tɤ"],
    ["xue2", "ɕɥe↗"],
    ["lü4", "ly↘"],
    ["nüe4", "nɥe↘"],
    ["quan2", "ʨʰɥɛ↗n"],
    ["jun1", "ʨy→n"],
    ["you3", "jou↓"],
    ["wei4", "wei↘"],
    ["gui4", "kwei↘"],
    ["liu2", "ljou↗"],
    ["dun4", "twə↘n"],
    ["yi1", "i→"],
    ["yuan2", "ɥɛ↗n"],
    ["er2", "ɚ↗"],
    ["bo1", "pwo→"],
    ["cha2", "ꭧʰa↗"],
    ["ang4", "a↘ŋ"],
  ])("%s -> %s", (py, ph) => {
    expect(pinyinToPhonemes(py)).toBe(ph);
  });

  test("not pinyin is undefined", () => {
    expect(pinyinToPhonemes("xyz1")).toBeUndefined();
    expect(pinyinToPhonemes("hello")).toBeUndefined();
  });

  test("every syllable of a long text maps into Kokoro's vocab", () => {
    const text =
      "中华人民共和国是工人阶级领导的以工农联盟为基础的人民民主专政的社会主义国家女儿绿色旅游月亮安全";
    for (const s of syllables(text)) {
      const ph = pinyinToPhonemes(s!);
      expect([s, ph !== undefined]).toEqual([s, true]);
      for (const ch of ph!) expect([s, ch, vocab.has(ch)]).toEqual([s, ch, true]);
    }
  });
});

describe("tone sandhi", () => {
  test("yi and bu change before the next tone (pinyin-pro)", () => {
    expect(syllables("一个")).toEqual(["yi2", "ge4"]);
    expect(syllables("不是")).toEqual(["bu2", "shi4"]);
    expect(syllables("一起")[0]).toBe("yi4");
  });
  test("a third tone before a third tone becomes a second, inside a word and across a one-syllable word", () => {
    expect(thirdToneSandhi(["ni3", "hao3"], [0, 0])).toEqual(["ni2", "hao3"]);
    expect(thirdToneSandhi(["zhan3", "lan3", "guan3"], [0, 0, 0])).toEqual(["zhan2", "lan2", "guan3"]);
    expect(thirdToneSandhi(["hen3", "hao3"], [0, 1])).toEqual(["hen2", "hao3"]);
    // two two-syllable words: the boundary keeps its tones
    expect(thirdToneSandhi(["ni3", "men0", "lao3", "shi1"], [0, 0, 1, 1])).toEqual([
      "ni3",
      "men0",
      "lao3",
      "shi1",
    ]);
  });
});

describe("words", () => {
  test("phrases read word by word, readings chosen by the words", () => {
    expect(pronounceMandarin(["你好", "世界"])).toEqual(["ni↗xau↓", "ʂɨ↘ʨje↘"]);
    expect(pronounceMandarin(["银行", "行长"])).toEqual(["i↗nxa↗ŋ", "xa↗ŋꭧa↓ŋ"]);
    expect(pronounceMandarin(["我们", "去", "北京", "了"])).toEqual(["wo↓mən", "ʨʰy↘", "pei↓ʨi→ŋ", "lɤ"]);
  });
  test("segmentation covers the Han text word by word", () => {
    const text = "我们去北京了。";
    expect(segmentMandarin(text).map(([a, b]) => text.slice(a, b))).toEqual(["我们", "去", "北京", "了"]);
  });
});
