/** How Italian says the parts of figures: ordinal marks (1º, 1ª, 1°, 1o, 1a), the decimal comma, signs, percent, degrees. */
export { plainOrdinalMark as ordinalMark } from "../romance/numbers";

export const NUMBER_WORDS = {
  decimalWord: "virgola",
  pointWord: "punto",
  minusWord: "meno",
  plusWord: "più",
  percentWords: ["per", "cento"],
  degreeWords: { one: ["grado"], many: ["gradi"] },
  rangeWord: "a",
};
