/** How Spanish says the parts of figures: ordinal marks (1º, 1ª, 1.er, 2do), the decimal comma, signs, percent, degrees. */
import type { Gender } from "../romance/types";

const MASCULINE_MARKS = new Set(["º", "o", "ro", "do", "to", "vo", "mo", "no"]);
const FEMININE_MARKS = new Set(["ª", "a", "ra", "da", "ta", "va", "ma", "na"]);

export function ordinalMark(mark: string): { gender: Gender; short: boolean } | undefined {
  if (mark === "er") return { gender: "m", short: true };
  if (MASCULINE_MARKS.has(mark)) return { gender: "m", short: false };
  if (FEMININE_MARKS.has(mark)) return { gender: "f", short: false };
  return undefined;
}

export const NUMBER_WORDS = {
  decimalWord: "coma",
  pointWord: "punto",
  minusWord: "menos",
  plusWord: "más",
  percentWords: ["por", "ciento"],
  degreeWords: { one: ["grado"], many: ["grados"] },
  rangeWord: "a",
};
