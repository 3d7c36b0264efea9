/**
 * Property: a token never turns into a unit word ("volts", "bytes") unless
 * its letters are a unit symbol in a unit position: right after a number
 * (glued, hyphened, or the next word), and, for a single capital that is
 * also a letter, after a number that does not name something ("Gate 7B",
 * "Route 66 A" are letters; "Exit 5 km" is a distance). Written
 * abbreviations of words ("Office hrs.", "wait a min.") are the abbreviation
 * table's business, not this property's.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { normalize, spokenText, type Item, type NormalizeOptions, type WordItem } from "../src/normalize";
import { unitOf } from "../src/normalize/en/units";
import { ABBREVIATIONS, UNITS } from "../src/normalize/en/tables";

const opts: NormalizeOptions = { dialect: "us", known: () => false };

/** Every word of every unit name, except the joining ones ("per") and "times" ("4x zoom"). */
const UNIT_WORDS = new Set(
  Object.values(UNITS)
    .flat()
    .flatMap((name) => name.split(" "))
    .filter((w) => w !== "per" && w !== "times"),
);
const SYMBOLS = Object.keys(UNITS).filter((s) => s !== "x");
const IDENTIFIERS = [
  "Gate",
  "gate",
  "Route",
  "route",
  "Room",
  "Apt",
  "seat",
  "Flight",
  "Platform",
  "Suite",
  "No.",
  "Order",
];
const NUMBER = fc.oneof(
  fc.integer({ min: 0, max: 99999 }).map(String),
  fc.constantFrom("3.7", "1.5", "1,000", "0.5", "12"),
);
const LETTERS = fc.oneof(fc.constantFrom(...SYMBOLS), fc.stringMatching(/^[A-Za-z]{1,3}$/));

const piece = fc.oneof(
  NUMBER,
  fc.tuple(NUMBER, LETTERS).map(([n, l]) => n + l),
  fc.tuple(NUMBER, LETTERS).map(([n, l]) => `${n}-${l}`),
  fc.tuple(NUMBER, LETTERS).map(([n, l]) => `${n} ${l}`),
  LETTERS,
  fc.constantFrom(...IDENTIFIERS),
  fc.constantFrom("a", "A", "the", "two", "at", "up", "to", "of", "is", "and", "or", "rated", "uses"),
  fc.constantFrom(
    "battery",
    "batteries",
    "motor",
    "bulb",
    "bottle",
    "memory",
    "water",
    "north",
    "run",
    "card",
    "Street",
    "Baker",
  ),
);
const sentence = fc
  .array(fc.tuple(piece, fc.constantFrom(" ", " ", " ", ", ", ". ")), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.map(([p, s]) => p + s).join(""));

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const GLUED = new RegExp(`^(?:${NUM})(?:[-–—](?:${NUM}))?-?(.+)$`);

/** The words of a unit symbol's names. */
function namesOf(symbol: string): Set<string> {
  return new Set((unitOf(symbol) ?? []).flatMap((n) => n.split(" ")));
}

/** Checks what was said for one text; returns how many unit words it said. */
function check(text: string, items: Item[] = normalize(text, opts)): number {
  const words = items.filter((i): i is WordItem => i.kind === "word");
  const src = (i: WordItem | undefined) => (i ? text.slice(i.start, i.end) : "");
  let said = 0;
  words.forEach((item, k) => {
    const source = src(item);
    if (ABBREVIATIONS[source.toLowerCase()]) return;
    // an ordinal ("2nd", "42702th") or a regnal number ("Henry II", "Aa II"): "second" there is not the unit
    if (/^[\d,]*\d(?:st|nd|rd|th)$/i.test(source)) return;
    if (/^[IVXLCDM]+$/.test(source) && item.words[0] === "the") return;
    for (const w of item.words) {
      if (!UNIT_WORDS.has(w) || source.toLowerCase().includes(w)) continue;
      said++;
      const glued = GLUED.exec(source);
      let symbol: string;
      let numberItem: WordItem | undefined;
      if (glued) {
        symbol = glued[1]!;
        numberItem = item;
      } else {
        symbol = source;
        numberItem = words[k - 1];
        const between = text.slice(numberItem ? numberItem.end : 0, item.start);
        if (!numberItem || !/\d$/.test(src(numberItem)) || !/^\s+$/.test(between))
          throw new Error(`${JSON.stringify(text)}: "${w}" from "${source}" with no number before it`);
      }
      if (!namesOf(symbol).has(w))
        throw new Error(
          `${JSON.stringify(text)}: "${w}" from "${source}", whose letters "${symbol}" are not that unit's symbol`,
        );
      const named = src(words[words.indexOf(numberItem) - 1]);
      const gap = text.slice(words[words.indexOf(numberItem) - 1]?.end ?? 0, numberItem.start);
      if (/^[A-Z]$/.test(symbol) && IDENTIFIERS.includes(named) && /^\s+$/.test(gap))
        throw new Error(
          `${JSON.stringify(text)}: "${w}" from "${source}" after "${named}", where the number names something`,
        );
    }
  });
  return said;
}

describe("unit words", () => {
  test("a token becomes a unit word only when its letters are a unit symbol in a unit position", () => {
    let said = 0;
    fc.assert(
      fc.property(sentence, (text) => {
        said += check(text);
      }),
      { numRuns: 3000 },
    );
    // the property was exercised: many unit words were said
    expect(said).toBeGreaterThan(500);
  });

  test("the readings the old normaliser got wrong, and the checker on them", () => {
    const said = (t: string) => spokenText(normalize(t, opts));
    expect(said("Gate 7B is closed.")).toBe("Gate seven B is closed");
    expect(said("Take Route 66A north.")).toBe("Take Route sixty-six A north");
    expect(said("5 V and 12 kB of memory")).toBe("five volts and twelve kilobytes of memory");
    expect(check("5 V and 12 kB of memory")).toBe(2);
    // found by the property (seed 1893634397): a Roman numeral after a name is a regnal number
    expect(said("3.7 Aa II")).toBe("three point seven Aa the second");
    expect(check("3.7 Aa II")).toBe(0);
    // and an ordinal, whatever its suffix
    expect(said("42702TH")).toBe("forty-two thousand seven hundred second");
    expect(check("42702TH")).toBe(0);
    // what the old normaliser said fails the check
    const word = (start: number, end: number, words: string[]): Item => ({ kind: "word", start, end, words });
    expect(() => check("Gate 7B", [word(0, 4, ["Gate"]), word(5, 7, ["seven", "bytes"])])).toThrow(
      /after "Gate"/,
    );
    expect(() => check("7 B", [word(0, 1, ["seven"]), word(2, 3, ["volts"])])).toThrow(
      /not that unit's symbol/,
    );
    expect(() => check("the V", [word(0, 3, ["the"]), word(4, 5, ["volts"])])).toThrow(/no number before it/);
  });
});
