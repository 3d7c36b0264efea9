/**
 * Brazilian clock times, "14:30" or "14h30" (also "14h", "14h30min"), read
 * on a 24-hour clock; the hour is feminine ("uma", "duas", "vinte e duas"),
 * the minutes follow "e": "14:30" catorze e trinta, "9:05" nove e cinco,
 * "2:15" duas e quinze. On the hour: "14h" catorze horas, "1:00" uma hora.
 * Seconds: "e dez segundos".
 */
import { cardinal } from "./number-words";

export function time(hour: number, minute: number, second: number | undefined): string[] {
  const out = cardinal(String(hour), "f");
  if (minute === 0) out.push(hour === 1 ? "hora" : "horas");
  else out.push("e", ...cardinal(String(minute)));
  if (second !== undefined) out.push("e", ...cardinal(String(second)), second === 1 ? "segundo" : "segundos");
  return out;
}
