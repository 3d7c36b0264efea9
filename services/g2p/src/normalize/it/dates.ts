/** Italian dates: "5/12/2024" cinque dicembre duemilaventiquattro; day 1 is "primo" ("1 maggio", "1° maggio": primo maggio). */
import { cardinal } from "./number-words";

export const MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

export function date(day: number, month: number, year: number): string[] {
  return [...(day === 1 ? ["primo"] : cardinal(String(day))), MONTHS[month - 1]!, ...cardinal(String(year))];
}
