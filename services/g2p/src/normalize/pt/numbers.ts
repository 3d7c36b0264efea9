/** How Brazilian Portuguese says the parts of figures: ordinal marks (1º, 1ª, 1o, 1a), the decimal comma, signs, percent, degrees. */
export { plainOrdinalMark as ordinalMark } from "../romance/numbers";

export const NUMBER_WORDS = {
  decimalWord: "vírgula",
  pointWord: "ponto",
  minusWord: "menos",
  plusWord: "mais",
  percentWords: ["por", "cento"],
  degreeWords: { one: ["grau"], many: ["graus"] },
  rangeWord: "a",
};
