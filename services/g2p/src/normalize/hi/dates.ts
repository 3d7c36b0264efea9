/**
 * Numeric dates, day first: "5/12/2024", "05-12-2024", "5.12.2024" पाँच दिसंबर
 * दो हज़ार चौबीस; ISO "2024-12-05" the same. Days are cardinals (एक जनवरी).
 */
import { figureRule } from "../rule";
import { cardinal } from "./number-words";
import { MONTHS } from "./tables";

const RE_NUM_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const RE_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dateWords(d: number, mo: number, y: number): string[] | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  return [...cardinal(String(d)), MONTHS[mo - 1]!, ...cardinal(String(y))];
}

export const numericDate = figureRule("numeric date", RE_NUM_DATE, (m) => {
  let y = Number(m[4]);
  if (m[4]!.length === 2) y += y < 50 ? 2000 : 1900;
  return dateWords(Number(m[1]), Number(m[3]), y);
});

export const isoDate = figureRule("ISO date", RE_ISO_DATE, (m) =>
  dateWords(Number(m[3]), Number(m[2]), Number(m[1])),
);
