/** Spanish dates: "5/12/2024" cinco de diciembre de dos mil veinticuatro; day 1 is "uno" (as in Spain). */
import { cardinal } from "./number-words";

export const MONTHS = [
  "enero",
  "febrero",
  "marzo",
  "abril",
  "mayo",
  "junio",
  "julio",
  "agosto",
  "septiembre",
  "octubre",
  "noviembre",
  "diciembre",
];

export function date(day: number, month: number, year: number): string[] {
  return [...cardinal(String(day)), "de", MONTHS[month - 1]!, "de", ...cardinal(String(year))];
}
