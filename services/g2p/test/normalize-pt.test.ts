/** Brazilian Portuguese (pt-br): the corpus (corpus/pt-br.txt), spans, odd input, and the rules the corpus does not show. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { normalizerFor, normalizeWith } from "../src/normalize";
import { portuguese } from "../src/normalize/pt";
import { cardinal, ordinal } from "../src/normalize/pt/number-words";
import { opts, romanceSuite, say } from "./romance-cases";

describe("Brazilian Portuguese", () => {
  romanceSuite(
    portuguese,
    join(import.meta.dir, "../corpus/pt-br.txt"),
    "O Sr. Silva pagou R$ 1.250,75 em 5/12/2024 às 14h30; 25 % a mais! Livros, cadernos, etc. Depois saiu.",
  );

  test("pt-br reads with the Portuguese table", () => {
    expect(normalizerFor("pt-br")).toBe(portuguese);
  });

  test("cardinals: e between the parts, feminine forms", () => {
    expect(cardinal("1020")).toEqual(["mil", "e", "vinte"]);
    expect(cardinal("1230")).toEqual(["mil", "duzentos", "e", "trinta"]);
    expect(cardinal("2", "f")).toEqual(["duas"]);
    expect(cardinal("200000", "f")).toEqual(["duzentas", "mil"]);
    expect(cardinal("1000000000000000")).toEqual(["um", "quatrilhão"]);
  });

  test("ordinals by parts, feminine in -a", () => {
    expect(ordinal(15, "m")).toEqual(["décimo", "quinto"]);
    expect(ordinal(100, "f")).toEqual(["centésima"]);
    expect(ordinal(2000, "m")).toBeUndefined();
  });

  test("an abbreviation's period ends the sentence only when it really ends", () => {
    const marks = (t: string) =>
      normalizeWith(portuguese, t, opts).flatMap((i) => (i.kind === "punct" ? [i.ph] : []));
    expect(marks("Falei com o Dr. Lima.")).toEqual(["."]);
    expect(marks("Livros, cadernos, etc. Depois saí.")).toEqual([",", ",", ".", "."]);
  });

  test("a brand stays one spoken word", () => {
    expect(say(portuguese, "Vi no Netflix e no iPhone")).toBe("Vi no Netflix e no iPhone");
  });
});
