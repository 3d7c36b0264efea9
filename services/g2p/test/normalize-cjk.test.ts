/**
 * Chinese and Japanese runs (no spaces between words): figures in characters, words cut by the
 * language's segmenter with the input's spans, Latin-script pieces read by English's rules, marks
 * as punctuation; and the Japanese dictionary loaded only when a Japanese text comes.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Language } from "@kokoro-edge/proto";
import { phonemizeText } from "../src/engine";
import { rewriteFigures } from "../src/normalize/cjk/figures";
import { resources } from "./shared";

const read = async (text: string, language: Language) =>
  phonemizeText(text, { language, firstChunkTokens: 30, chunkTokens: 200 }, await resources(language));

describe("figures in characters keep where they came from", () => {
  test("each written character points at its figure's span", () => {
    const w = rewriteFigures("花了¥25。", 10, "zh");
    expect(w.text).toBe("花了二十五元。");
    expect(w.from[2]).toEqual([12, 15]);
    expect(w.from[5]).toEqual([12, 15]);
    expect(w.from[6]).toEqual([15, 16]);
    expect(w.figure.filter(Boolean).length).toBe(4);
  });

  test("each language's way: Japanese 百五 and 千, Mandarin 一百零五, 两 and years digit by digit", () => {
    expect(rewriteFigures("105", 0, "ja").text).toBe("百五");
    expect(rewriteFigures("105", 0, "zh").text).toBe("一百零五");
    expect(rewriteFigures("2本", 0, "zh").text).toBe("两本");
    expect(rewriteFigures("2024年", 0, "zh").text).toBe("二零二四年");
    expect(rewriteFigures("2024年", 0, "ja").text).toBe("二千二十四年");
    expect(rewriteFigures("１２：３０", 0, "ja").text).toBe("十二時三十分"); // full-width figures
  });
});

describe.each(["ja", "zh"] as const)("%s text through the pipeline", (language) => {
  const text =
    language === "ja"
      ? "今日は2024年12月5日です。iPhone 15を3台、¥1,000で買いました！「本当？」"
      : "今天是2024年12月5日。我用iPhone 15买了3个苹果，花了¥25！“真的吗？”";

  test("words keep their spans, in order, and every one with a letter is spoken", async () => {
    const r = await read(text, language);
    const words = r.chunks.flatMap((c) => c.words);
    let end = 0;
    for (const w of words) {
      expect(text.slice(w.start, w.end)).toBe(w.text);
      expect(w.start).toBeGreaterThanOrEqual(end);
      end = w.end;
      if (/\p{L}/u.test(w.normalized)) expect(w.phonemes).not.toBe("");
    }
    const { vocab } = await resources(language);
    for (const c of r.chunks) expect(vocab.clean(c.phonemes)).toBe(c.phonemes);
  });

  test("Latin words inside are said with English's rules", async () => {
    const r = await read(text, language);
    const iphone = r.chunks.flatMap((c) => c.words).find((w) => w.text.startsWith("iPhone"))!;
    expect(iphone.phonemes).toBe((await read("iPhone", "en-us")).phonemes);
  });

  test("full-width marks are punctuation: a sentence end after 。 and a question mark after ？", async () => {
    const r = await read(language === "ja" ? "晴れ。雨？" : "晴天。下雨？", language);
    expect(r.phonemes).toContain(".");
    expect(r.phonemes.endsWith("?")).toBe(true);
  });

  test("odd input: only marks is a 400; 20,000 characters with no mark are read in bounded time", async () => {
    await expect(read("。。、！？「」", language)).rejects.toThrow(/nothing that can be spoken/);
    const long = (language === "ja" ? "あいうえおかきくけこ" : "我们一起去北京吃饭吧").repeat(2_000);
    const t0 = performance.now();
    const r = await read(long, language);
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(r.chunks.length).toBeGreaterThan(10);
    expect(r.chunks.every((c) => c.tokens.length <= 510)).toBe(true);
  }, 60_000);
});

test("Japanese oddities: kanji outside the BMP keep later words' spans; half-width katakana is read", async () => {
  const astral = "𠮷野家で𩸽を食べた";
  const r = await read(astral, "ja");
  for (const w of r.chunks.flatMap((c) => c.words)) expect(astral.slice(w.start, w.end)).toBe(w.text);
  expect(r.phonemes).toContain("ta"); // 食べた is read after the two astral kanji
  const half = await read("ｱｲｳｴｵ", "ja");
  expect(half.phonemes).toBe((await read("アイウエオ", "ja")).phonemes);
});

test("the Japanese dictionary is loaded by the first Japanese text, not before (a fresh process)", () => {
  const engine = join(import.meta.dir, "../src/engine.ts");
  const analyser = join(import.meta.dir, "../src/pronounce/ja/analyser.ts");
  const shared = join(import.meta.dir, "shared.ts");
  const code = `
    const { phonemizeText } = await import(${JSON.stringify(engine)});
    const { japaneseAnalyserReady } = await import(${JSON.stringify(analyser)});
    const { resources } = await import(${JSON.stringify(shared)});
    const opts = (language) => ({ language, firstChunkTokens: 30, chunkTokens: 200 });
    await phonemizeText("Hello there, 25 apples.", opts("en-us"), await resources("en-us"));
    await phonemizeText("Hola, amigos.", opts("es"), await resources("es"));
    const before = japaneseAnalyserReady();
    await phonemizeText("こんにちは。", opts("ja"), await resources("ja"));
    console.log(JSON.stringify({ before, after: japaneseAnalyserReady() }));
    process.exit(0);`;
  const p = Bun.spawnSync([process.execPath, "-e", code], { stderr: "pipe" });
  expect(p.exitCode).toBe(0);
  const out = JSON.parse(p.stdout.toString().trim().split("\n").pop()!);
  expect(out).toEqual({ before: false, after: true });
}, 60_000);
