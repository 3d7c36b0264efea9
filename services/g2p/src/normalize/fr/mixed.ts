/** French's last rules: anything said part by part (part-by-part.ts), with French words. */
import { partByPartRules } from "../part-by-part";
import { SYMBOLS } from "./abbreviations";
import { cardinal, digitByDigit } from "./number-words";

export const { longRun, mixed } = partByPartRules({
  cardinal,
  digitByDigit,
  symbols: SYMBOLS,
  point: "point",
  comma: "virgule",
});
