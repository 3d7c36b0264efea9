/**
 * Spanish clock times, read as written on a 24-hour clock: the hour is
 * feminine ("una", "veintiuna"), the minutes follow "y": "14:30" catorce y
 * treinta, "9:05" nueve y cinco, "1:15" una y quince. On the hour: "9:00"
 * nueve en punto (1 to 12), "14:00" catorce horas, "1:00" una en punto.
 * Seconds: "y diez segundos". No article: "a las 14:30" keeps the writer's "las".
 */
import { cardinal } from "./number-words";

export function time(hour: number, minute: number, second: number | undefined): string[] {
  const out = cardinal(String(hour), "f");
  if (minute === 0 && second === undefined)
    out.push(...(hour >= 1 && hour <= 12 ? ["en", "punto"] : ["horas"]));
  else if (minute) out.push("y", ...cardinal(String(minute)));
  if (second !== undefined) {
    if (minute === 0) out.push("horas");
    out.push("y", ...cardinal(String(second), "before-noun"), second === 1 ? "segundo" : "segundos");
  }
  return out;
}
