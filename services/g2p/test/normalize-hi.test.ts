/** Hindi (hi) normalisation: the corpus (corpus/hi.txt), spans, the danda, Devanagari digits, odd input. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { comparable, loadCorpus } from "../corpus/corpus";
import { normalize, normalizeWith, spokenText, type Item, type NormalizeOptions } from "../src/normalize";
import { hindi } from "../src/normalize/hi";
import { BELOW_100, cardinal, ordinal } from "../src/normalize/hi/number-words";

const opts: NormalizeOptions = { dialect: "us", known: () => false };
const say = (t: string) => spokenText(normalizeWith(hindi, t, opts));
const cases = loadCorpus(join(import.meta.dir, "../corpus/hi.txt"));

/** Items in order, each span inside the input, and every non-space character covered. */
function expectSpans(text: string, items: Item[]): void {
  let at = 0;
  const covered = new Array<boolean>(text.length).fill(false);
  for (const it of items) {
    expect(it.start).toBeGreaterThanOrEqual(at);
    expect(it.end).toBeGreaterThanOrEqual(it.start);
    expect(it.end).toBeLessThanOrEqual(text.length);
    at = it.start;
    for (let k = it.start; k < it.end; k++) covered[k] = true;
  }
  for (let k = 0; k < text.length; k++) if (!/\s/.test(text[k]!)) expect([k, covered[k]]).toEqual([k, true]);
}

describe("Hindi corpus", () => {
  test("has at least 40 cases in many categories", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(8);
  });
  for (const cat of [...new Set(cases.map((c) => c.category))]) {
    test(cat, () => {
      const failures = cases
        .filter((c) => c.category === cat)
        .map((c) => ({ c, got: say(c.input) }))
        // exact words too: `comparable` cuts Devanagari at its vowel signs
        .filter(({ c, got }) => comparable(got) !== comparable(c.expected) || !sameWords(got, c.expected))
        .map(
          ({ c, got }) =>
            `line ${c.line}: ${JSON.stringify(c.input)} said "${got}", expected "${c.expected}"`,
        );
      expect(failures).toEqual([]);
    });
  }
});

/** The same words, ignoring Latin case and punctuation. */
function sameWords(a: string, b: string): boolean {
  const w = (s: string) =>
    s
      .toLowerCase()
      .replace(/[-,.!?"“”।॥]/g, " ")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  return w(a) === w(b);
}

describe("Hindi numbers", () => {
  test("0..99 are a full table of distinct words", () => {
    expect(BELOW_100).toHaveLength(100);
    expect(new Set(BELOW_100).size).toBe(100);
    expect(BELOW_100[25]).toBe("पच्चीस");
    expect(BELOW_100[99]).toBe("निन्यानवे");
  });
  test("Indian scales", () => {
    expect(cardinal("100000").join(" ")).toBe("एक लाख");
    expect(cardinal("10000000").join(" ")).toBe("एक करोड़");
    expect(cardinal("1000000000").join(" ")).toBe("एक अरब");
    expect(cardinal("305").join(" ")).toBe("तीन सौ पाँच");
    expect(cardinal("1".padEnd(20, "0"))).toHaveLength(20);
  });
  test("ordinals", () => {
    expect(ordinal("1")).toEqual(["पहला"]);
    expect(ordinal("2", "ी")).toEqual(["दूसरी"]);
    expect(ordinal("6")).toEqual(["छठा"]);
    expect(ordinal("7")).toEqual(["सातवाँ"]);
    expect(ordinal("100", "े")).toEqual(["एक", "सौवें"]);
  });
  test("Devanagari digits keep their spans", () => {
    const items = normalizeWith(hindi, "कक्षा ५ में", opts);
    expect(items.map((i) => [i.start, i.end, i.kind === "word" && i.words.join(" ")])).toEqual([
      [0, 5, "कक्षा"],
      [6, 7, "पाँच"],
      [8, 11, "में"],
    ]);
  });
  test("the language table serves hi", () => {
    expect(spokenText(normalize("25%", { ...opts, language: "hi" }))).toBe("पच्चीस प्रतिशत");
  });
});

describe("Hindi spans and the danda", () => {
  test("a danda attached to a word comes off as a sentence end", () => {
    const items = normalizeWith(hindi, "यह घर है। वह॥", opts);
    expect(items.map((i) => [i.kind, i.start, i.end])).toEqual([
      ["word", 0, 2],
      ["word", 3, 5],
      ["word", 6, 8],
      ["punct", 8, 9],
      ["word", 10, 12],
      ["punct", 12, 13],
    ]);
    for (const i of items) if (i.kind === "punct") expect([i.ph, i.brk]).toEqual([".", 3]);
  });
  test("spans cover the input in order", () => {
    for (const text of ["डॉ. शर्मा ने ₹ 500 दिए। 14:30 बजे, 5/12/2024 को।", "Rs. 1,00,000 और २५%", "₹5 लाख।"])
      expectSpans(text, normalizeWith(hindi, text, opts));
  });
  test("a danda after an amount in its own run", () => {
    expect(say("₹ 500।")).toBe("पाँच सौ रुपये");
  });
});

describe("Hindi odd input", () => {
  test("empty, huge numbers, dotted figures, lone symbols", () => {
    expect(normalizeWith(hindi, "", opts)).toEqual([]);
    expect(say("1".padEnd(31, "0")).split(" ")).toHaveLength(31);
    expect(say("1.2.3.4")).toBe("एक दशमलव दो दशमलव तीन दशमलव चार");
    for (const t of ["₹", "%", "।", "॥", "Rs.", "-", "१"]) expectSpans(t, normalizeWith(hindi, t, opts));
  });
  test("a megabyte of digits is bounded", () => {
    for (const d of ["7", "७"]) {
      const text = d.repeat(1_000_000);
      const t0 = performance.now();
      const items = normalizeWith(hindi, text, opts);
      expect(performance.now() - t0).toBeLessThan(5000);
      expectSpans(text, items);
    }
  });
});
