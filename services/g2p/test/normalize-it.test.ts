/** Italian (it): the corpus (corpus/it.txt), spans, odd input, and the rules the corpus does not show. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { normalizerFor, normalizeWith } from "../src/normalize";
import { italian } from "../src/normalize/it";
import { cardinal, ordinal } from "../src/normalize/it/number-words";
import { opts, romanceSuite, say } from "./romance-cases";

describe("Italian", () => {
  romanceSuite(
    italian,
    join(import.meta.dir, "../corpus/it.txt"),
    "Il Sig. Rossi ha pagato 1.250,75 € il 5/12/2024 alle 14:30; un 25 % in più! Mele, pere, ecc. Poi è uscito.",
  );

  test("it reads with the Italian table", () => {
    expect(normalizerFor("it")).toBe(italian);
  });

  test("cardinals: one word under a million, elision and the accent of tre", () => {
    expect(cardinal("38")).toEqual(["trentotto"]);
    expect(cardinal("103")).toEqual(["centotré"]);
    expect(cardinal("3000")).toEqual(["tremila"]);
    expect(cardinal("1001")).toEqual(["milleuno"]);
    expect(cardinal("23000000")).toEqual(["ventitré", "milioni"]);
    expect(cardinal("2500000")).toEqual(["due", "milioni", "cinquecentomila"]);
    expect(cardinal("1000000000000000")).toEqual(["un", "biliardo"]);
  });

  test("ordinals: -esimo from eleven on, feminine in -a", () => {
    expect(ordinal(16, "m")).toEqual(["sedicesimo"]);
    expect(ordinal(33, "f")).toEqual(["trentatreesima"]);
    expect(ordinal(100, "m")).toEqual(["centesimo"]);
    expect(ordinal(2000, "m")).toEqual(["duemillesimo"]);
  });

  test("a trailing apostrophe stays with po', a closing quote does not", () => {
    expect(say(italian, "un po' di pane")).toBe("un po' di pane");
    expect(say(italian, "'ciao'")).toBe("ciao");
  });

  test("an abbreviation's period ends the sentence only when it really ends", () => {
    const marks = (t: string) =>
      normalizeWith(italian, t, opts).flatMap((i) => (i.kind === "punct" ? [i.ph] : []));
    expect(marks("Buongiorno Sig. Rossi.")).toEqual(["."]);
    expect(marks("Mele, pere, ecc. Poi basta.")).toEqual([",", ",", ".", "."]);
  });
});
