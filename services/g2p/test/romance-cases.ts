/**
 * What the Spanish, Italian and Portuguese normaliser tests share: the
 * language's corpus run through its rule table, spans (every item inside the
 * input, in order, every non-space character covered), and odd input that
 * must be said in bounded work.
 */
import { expect, test } from "bun:test";
import { comparable, loadCorpus } from "../corpus/corpus";
import {
  normalizeWith,
  spokenText,
  type Item,
  type LanguageNormalizer,
  type NormalizeOptions,
} from "../src/normalize";

export const opts: NormalizeOptions = { dialect: "us", known: () => false };

export function say(lang: LanguageNormalizer, text: string): string {
  return spokenText(normalizeWith(lang, text, opts));
}

/** Items inside the text, in order, not overlapping, covering every non-space character. */
export function spanProblems(text: string, items: Item[]): string[] {
  const problems: string[] = [];
  const covered = new Uint8Array(text.length);
  let last = 0;
  for (const it of items) {
    if (it.start < last || it.end < it.start || it.end > text.length)
      problems.push(`${it.kind} [${it.start}, ${it.end}) out of order after ${last}`);
    last = Math.max(last, it.start === it.end ? it.start : it.end);
    covered.fill(1, it.start, it.end);
  }
  for (let i = 0; i < text.length; i++)
    if (!covered[i] && !/\s/.test(text[i]!))
      problems.push(`character ${i} (${JSON.stringify(text[i])}) not covered`);
  return problems;
}

export function romanceSuite(lang: LanguageNormalizer, corpusFile: string, sample: string): void {
  const cases = loadCorpus(corpusFile);

  test("the corpus has at least 40 cases in every category of the brief", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const cats = new Set(cases.map((c) => c.category));
    for (const c of ["cardinals", "ordinals", "dates", "times", "money", "percentages", "abbreviations"])
      expect(cats.has(c)).toBe(true);
  });

  test("every corpus case reads as expected", () => {
    const failures: string[] = [];
    for (const c of cases) {
      const got = say(lang, c.input);
      if (comparable(got) !== comparable(c.expected))
        failures.push(
          `line ${c.line}: ${JSON.stringify(c.input)}: said "${comparable(got)}", expected "${comparable(c.expected)}"`,
        );
    }
    expect(failures).toEqual([]);
  });

  test("spans: every item inside the input, in order, covering it (corpus and a paragraph)", () => {
    const problems: string[] = [];
    for (const text of [...cases.map((c) => c.input), sample])
      problems.push(
        ...spanProblems(text, normalizeWith(lang, text, opts)).map((p) => `${JSON.stringify(text)}: ${p}`),
      );
    expect(problems).toEqual([]);
  });

  test("a word keeps the span of the figure it was said for", () => {
    const text = "x 1.000.000 y";
    const words = normalizeWith(lang, text, opts).filter((i) => i.kind === "word");
    expect(words[1]).toMatchObject({ start: 2, end: 11 });
  });

  test("odd input: empty, lone symbols, dotted digits, huge numbers", () => {
    expect(normalizeWith(lang, "", opts)).toEqual([]);
    for (const text of [
      "€",
      "%",
      "$",
      "R$",
      "-",
      "º",
      "°",
      "1.2.3.4",
      "a.b.c",
      "...",
      "¿¡",
      "@#",
      "x/y",
      "1/2/3/4",
    ]) {
      const items = normalizeWith(lang, text, opts);
      expect(spanProblems(text, items)).toEqual([]);
    }
    // 10^30: past the scale words, digit by digit
    const huge = `1${"0".repeat(30)}`;
    expect(say(lang, huge).split(" ").length).toBe(31);
    const grouped = `1${".000".repeat(10)}`;
    expect(say(lang, grouped).split(" ").length).toBe(31);
    // 10^15 still in words
    expect(say(lang, `1${"0".repeat(15)}`).split(" ").length).toBeLessThanOrEqual(3);
  });

  test("1 MB of digits, and 1 MB of one word, are bounded work", () => {
    for (const text of ["7".repeat(1_000_000), "ab".repeat(500_000), "1.".repeat(500_000)]) {
      const t0 = performance.now();
      const items = normalizeWith(lang, text, opts);
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(items.length).toBeGreaterThan(0);
      expect(items.at(-1)!.end).toBe(text.length);
    }
  });
}
