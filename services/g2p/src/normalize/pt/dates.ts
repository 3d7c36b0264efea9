/** Brazilian dates: "5/12/2024" cinco de dezembro de dois mil e vinte e quatro; day 1 is "primeiro" ("1 de maio": primeiro de maio). */
import { cardinal } from "./number-words";

export const MONTHS = [
  "janeiro",
  "fevereiro",
  "março",
  "abril",
  "maio",
  "junho",
  "julho",
  "agosto",
  "setembro",
  "outubro",
  "novembro",
  "dezembro",
];

export function date(day: number, month: number, year: number): string[] {
  const d = day === 1 ? ["primeiro"] : cardinal(String(day));
  return [...d, "de", MONTHS[month - 1]!, "de", ...cardinal(String(year))];
}
