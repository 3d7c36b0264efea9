/**
 * Italian clock times, read as written on a 24-hour clock, minutes after "e":
 * "14:30" quattordici e trenta, "9:05" nove e cinque, "1:15" una e quindici.
 * On the hour the hour alone: "alle 14:00" alle quattordici. Seconds: "e
 * dieci secondi". No article: "alle" is the writer's.
 */
import { cardinal } from "./number-words";

export function time(hour: number, minute: number, second: number | undefined): string[] {
  const out = cardinal(String(hour), "f");
  if (minute) out.push("e", ...cardinal(String(minute)));
  if (second !== undefined)
    out.push("e", ...cardinal(String(second), "before-noun"), second === 1 ? "secondo" : "secondi");
  return out;
}
