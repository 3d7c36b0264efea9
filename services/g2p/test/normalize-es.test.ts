/** Spanish (es): the corpus (corpus/es.txt), spans, odd input, and the rules the corpus does not show. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { normalizerFor, normalizeWith } from "../src/normalize";
import { spanish } from "../src/normalize/es";
import { cardinal, ordinal } from "../src/normalize/es/number-words";
import { opts, romanceSuite, say } from "./romance-cases";

describe("Spanish", () => {
  romanceSuite(
    spanish,
    join(import.meta.dir, "../corpus/es.txt"),
    "El Sr. García pagó 1.250,75 € el 5/12/2024 a las 14:30; ¡un 25 % más! Vive en EE. UU., etc. Luego llamó.",
  );

  test("es reads with the Spanish table", () => {
    expect(normalizerFor("es")).toBe(spanish);
  });

  test("cardinals: forms of uno, cien/ciento, long scale", () => {
    expect(cardinal("21", "before-noun")).toEqual(["veintiún"]);
    expect(cardinal("31", "f")).toEqual(["treinta", "y", "una"]);
    expect(cardinal("200", "f")).toEqual(["doscientas"]);
    expect(cardinal("100000")).toEqual(["cien", "mil"]);
    expect(cardinal("1001000")).toEqual(["un", "millón", "mil"]);
    expect(cardinal("999999999999999999").length).toBeGreaterThan(10);
  });

  test("ordinals: gender and the short forms", () => {
    expect(ordinal(1, "m", true)).toEqual(["primer"]);
    expect(ordinal(3, "f", false)).toEqual(["tercera"]);
    expect(ordinal(40, "m", false)).toEqual(["cuadragésimo"]);
    expect(ordinal(2000, "m", false)).toBeUndefined();
  });

  test("an abbreviation's period ends the sentence only when it really ends", () => {
    const items = (t: string) =>
      normalizeWith(spanish, t, opts).flatMap((i) => (i.kind === "punct" ? [i.ph] : []));
    expect(items("Hola, Sr. López.")).toEqual([",", "."]);
    expect(items("Compré peras, etc. Luego comí.")).toEqual([",", ".", "."]);
    expect(items("Vive en EE. UU.")).toEqual(["."]);
  });

  test("a brand or an English word stays one spoken word", () => {
    expect(say(spanish, "iPhone")).toBe("iPhone");
    expect(say(spanish, "YouTube")).toBe("YouTube");
  });
});
