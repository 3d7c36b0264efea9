/** French (fr-fr) normalisation: the corpus (corpus/fr-fr.txt), spans, French marks, odd input. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { comparable, loadCorpus } from "../corpus/corpus";
import { normalize, normalizeWith, spokenText, type Item, type NormalizeOptions } from "../src/normalize";
import { french } from "../src/normalize/fr";
import { cardinal, ordinal } from "../src/normalize/fr/number-words";

const opts: NormalizeOptions = { dialect: "us", known: () => false };
const say = (t: string) => spokenText(normalizeWith(french, t, opts));
const cases = loadCorpus(join(import.meta.dir, "../corpus/fr-fr.txt"));

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

describe("French corpus", () => {
  test("has at least 40 cases in many categories", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(8);
  });
  for (const cat of [...new Set(cases.map((c) => c.category))]) {
    test(cat, () => {
      const failures = cases
        .filter((c) => c.category === cat)
        .map((c) => ({ c, got: say(c.input) }))
        .filter(({ c, got }) => comparable(got) !== comparable(c.expected))
        .map(
          ({ c, got }) =>
            `line ${c.line}: ${JSON.stringify(c.input)} said "${got}", expected "${c.expected}"`,
        );
      expect(failures).toEqual([]);
    });
  }
});

describe("French numbers", () => {
  test("cardinals to 10^18, then digit by digit", () => {
    expect(cardinal("180")).toEqual(["cent", "quatre-vingts"]);
    expect(cardinal("80000")).toEqual(["quatre-vingt", "mille"]);
    expect(cardinal("200000000")).toEqual(["deux", "cents", "millions"]);
    expect(cardinal("1000000000000000").join(" ")).toBe("un billiard");
    expect(cardinal("1".padEnd(19, "0"))).toHaveLength(19);
  });
  test("ordinals", () => {
    expect(ordinal("5")).toEqual(["cinquième"]);
    expect(ordinal("9")).toEqual(["neuvième"]);
    expect(ordinal("80")).toEqual(["quatre-vingtième"]);
    expect(ordinal("1", true)).toEqual(["première"]);
  });
  test("groups joined by a no-break or narrow no-break space", () => {
    expect(say("1\u00A0000")).toBe("mille");
    expect(say("1\u202F000\u202F000 €")).toBe("un million d'euros");
    expect(say("12\u00A0345,6")).toBe("douze mille trois cent quarante-cinq virgule six");
  });
  test("the language table serves fr-fr", () => {
    expect(spokenText(normalize("21", { ...opts, language: "fr-fr" }))).toBe("vingt et un");
  });
});

describe("French spans and marks", () => {
  test("spans cover the input in order, joined groups keep their own runs", () => {
    for (const text of [
      "Il a payé 1 234 567,89 € le 5/12/2024 à 14 h 30.",
      "M. Dupont, etc. « Oui » !",
      "n° 5",
    ]) {
      expectSpans(text, normalizeWith(french, text, opts));
    }
    // "un million" on "1", the groups of zeros silent on their own spans
    expect(normalizeWith(french, "1 000 000", opts).map((i) => [i.kind, i.start, i.end])).toEqual([
      ["word", 0, 1],
      ["silent", 2, 5],
      ["silent", 6, 9],
    ]);
    expect(
      normalizeWith(french, "1 234", opts).map((i) => [
        i.start,
        i.end,
        i.kind === "word" && i.words.join(" "),
      ]),
    ).toEqual([
      [0, 1, "mille"],
      [2, 5, "deux cent trente-quatre"],
    ]);
  });
  test("spaced ; : ! ? » stay punctuation", () => {
    const items = normalizeWith(french, "« Oui » : non ; si ! Quoi ?", opts);
    expect(items.filter((i) => i.kind === "punct").map((i) => (i.kind === "punct" ? i.ph : ""))).toEqual([
      "“",
      "”",
      ":",
      ";",
      "!",
      "?",
    ]);
    expect(spokenText(items)).toBe("Oui non si Quoi");
  });
  test("an abbreviation's period ends the sentence only when it really ends", () => {
    const brk3 = (t: string) =>
      normalizeWith(french, t, opts).filter((i) => i.kind === "punct" && i.brk === 3).length;
    expect(brk3("M. Dupont est là")).toBe(0);
    expect(brk3("des pommes, etc. Puis")).toBe(1);
    expect(brk3("des pommes, etc. et des poires")).toBe(0);
    expect(brk3("Il est venu.")).toBe(1);
  });
});

describe("French odd input", () => {
  test("empty, huge numbers, dotted figures, lone symbols", () => {
    expect(normalizeWith(french, "", opts)).toEqual([]);
    expect(say("1".padEnd(31, "0")).split(" ")).toHaveLength(31);
    expect(say("1.2.3.4")).toBe("un point deux point trois point quatre");
    for (const t of ["€", "%", "§", "°", "n°", "h", "-", "..."])
      expectSpans(t, normalizeWith(french, t, opts));
  });
  test("a megabyte of digits is bounded", () => {
    const text = "7".repeat(1_000_000);
    const t0 = performance.now();
    const items = normalizeWith(french, text, opts);
    expect(performance.now() - t0).toBeLessThan(5000);
    expectSpans(text, items);
  });
  test("many space-separated groups do not join past 10^18", () => {
    const text = Array(50).fill("100").join(" ");
    const items = normalizeWith(french, text, opts);
    expectSpans(text, items);
    expect(spokenText(items).length).toBeGreaterThan(0);
  });
});
