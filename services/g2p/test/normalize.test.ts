/** The normaliser's structure: a language is an ordered rule table read by a shared reader (marks, spans, look-ahead). */
import { describe, expect, test } from "bun:test";
import { Language } from "@kokoro-edge/proto";
import { english, ENGLISH_RULES } from "../src/normalize/en";
import { readsAsWord } from "../src/normalize/en/letters";
import {
  normalize,
  normalizeWith,
  normalizerFor,
  rule,
  spokenText,
  type LanguageNormalizer,
  type NormalizeOptions,
} from "../src/normalize";

const opts: NormalizeOptions = { dialect: "us", known: () => false };

describe("rule tables", () => {
  test("every language has a table; English serves en-us and en-gb", () => {
    for (const l of Language.options) expect(normalizerFor(l).rules.length).toBeGreaterThan(0);
    expect(normalizerFor("en-gb")).toBe(english);
    expect(normalizerFor()).toBe(english);
  });

  test("English's rules have distinct names and end with one that says anything", () => {
    const names = ENGLISH_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.at(-1)).toBe("mixed");
    // the last rule says any token, so nothing is left unsaid
    for (const text of ["§¶", "a1b2", "🎉", "-", "x/y"]) {
      const items = normalizeWith({ ...english, rules: ENGLISH_RULES.slice(-1) }, `(${text})`, opts);
      expect(items.at(0)).toMatchObject({ kind: "punct", start: 0, end: 1 });
      expect(items.at(-1)).toMatchObject({ kind: "punct", start: text.length + 1, end: text.length + 2 });
    }
  });

  test("the first rule that says a token wins; the shared reader keeps marks and spans", () => {
    const greet = rule("greeting", (tok) => tok.text.toLowerCase() === "hi" && ["hello"]);
    const lang: LanguageNormalizer = { ...english, rules: [greet, ...ENGLISH_RULES] };
    const items = normalizeWith(lang, "“Hi, 5 km.”", opts);
    expect(spokenText(items)).toBe("hello five kilometers");
    expect(items.filter((i) => i.kind === "word").map((i) => [i.start, i.end])).toEqual([
      [1, 3],
      [5, 6],
      [7, 9],
    ]);
    expect(items.filter((i) => i.kind === "punct").map((i) => [i.start, i.end])).toEqual([
      [0, 1],
      [3, 4],
      [9, 10],
      [10, 11],
    ]);
    // without the rule, English reads it as a word
    expect(spokenText(normalize("Hi, 5 km.", opts))).toBe("Hi five kilometers");
  });

  test("a rule that reads the next run takes it whole, with its marks", () => {
    const items = normalize("It cost $3 million, then.", opts);
    const words = items.filter((i) => i.kind === "word");
    expect(words.map((w) => [w.start, w.end, w.words.join(" ")])).toEqual([
      [0, 2, "It"],
      [3, 7, "cost"],
      [8, 10, "three"],
      [11, 18, "million dollars"],
      [20, 24, "then"],
    ]);
    expect(items.find((i) => i.kind === "punct" && i.start === 18)).toMatchObject({ ph: ",", end: 19 });
  });
});

describe("acronyms without a lexicon", () => {
  // what a deployment without misaki's lexicons (CMU only) still gets right: no word is known
  const bare: NormalizeOptions = { dialect: "us", known: () => false };
  const said = (t: string) => spokenText(normalize(t, bare));

  test("said as words when they read like English words, or when the small list says so", () => {
    expect(said("NASA and NATO met")).toBe("nasa and nato met");
    expect(said("UNESCO, SCUBA and GIF")).toBe("unesco scuba and gif");
    expect(said("IKEA, FEMA and NIST")).toBe("ikea fema and nist");
    expect(said("NOAA and JSON")).toBe("noah and jason");
  });

  test("letter by letter otherwise", () => {
    expect(said("FBI, CPU and HTML")).toBe("F B I C P U and H T M L");
    expect(said("ESPN, NCAA and UCLA")).toBe("E S P N N C double A and U C L A");
    // three letters are letters unless listed ("CEO", "MIT"), two always ("AI")
    expect(said("the CEO of MIT and AI")).toBe("the C E O of M I T and A I");
    expect(said("ATMs and NGO's")).toBe("A T M's and N G O's");
  });

  test("readsAsWord: English clusters at the start, middle and end", () => {
    for (const w of ["NASA", "NATO", "UNESCO", "SCUBA", "OPEC", "DARPA", "YOLO", "NIMBY", "AWOL"])
      expect([w, readsAsWord(w)]).toEqual([w, true]);
    for (const w of ["FBI", "HTML", "ESPN", "NOAA", "NCAA", "IEEE", "ASPCA", "OECD", "LGBT"])
      expect([w, readsAsWord(w)]).toEqual([w, false]);
  });
});

describe("a new line reads like a new sentence", () => {
  const said = (t: string) => spokenText(normalize(t, opts));
  test('"St." on a new line after a capitalised word is a saint, not a street', () => {
    // found by the realtime segmenter's property test: a stream sees "St. Louis" alone
    expect(said("44 BC\nSt. Louis")).toBe(`${said("44 BC")} ${said("St. Louis")}`);
    expect(said("44 BC\nSt. Louis")).toEndWith("saint Louis");
    // on the same line it is still an address
    expect(said("on Main St. near the park")).toContain("street");
  });
});
