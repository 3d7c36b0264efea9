/** Hindi's last rules: anything said part by part (part-by-part.ts), with Hindi words. */
import { partByPartRules } from "../part-by-part";
import { cardinal, digitByDigit } from "./number-words";
import { SYMBOLS } from "./tables";

export const { longRun, mixed } = partByPartRules({
  cardinal,
  digitByDigit,
  symbols: SYMBOLS,
  point: "दशमलव",
  comma: "कॉमा",
});
