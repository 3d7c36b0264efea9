/** How Brazilian Portuguese says the parts of figures: ordinal marks (1º, 1ª, 1o, 1a), the decimal comma, signs, percent, degrees. */
import type { Gender } from "../romance/types";

export function ordinalMark(mark: string): { gender: Gender; short: boolean } | undefined {
  if (mark === "º" || mark === "o") return { gender: "m", short: false };
  if (mark === "ª" || mark === "a") return { gender: "f", short: false };
  return undefined;
}

export const NUMBER_WORDS = {
  decimalWord: "vírgula",
  pointWord: "ponto",
  minusWord: "menos",
  plusWord: "mais",
  percentWords: ["por", "cento"],
  degreeWords: { one: ["grau"], many: ["graus"] },
  rangeWord: "a",
};
