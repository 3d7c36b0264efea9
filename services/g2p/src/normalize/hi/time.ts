/**
 * Clock times, read the way a clock is told: "14:30" चौदह बजकर तीस मिनट,
 * "9:05" नौ बजकर पाँच मिनट, "14:00" चौदह बजे. (The everyday fractions साढ़े,
 * सवा, पौने, डेढ़, ढाई are not used: every minute reads the same way.)
 */
import { figureRule } from "../rule";
import { cardinal } from "./number-words";

const RE_CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

export function timeWords(h: number, min: number, sec?: number): string[] | undefined {
  if (h > 24 || min > 59 || (sec ?? 0) > 59) return undefined;
  const out = cardinal(String(h));
  if (min === 0 && sec === undefined) return [...out, "बजे"];
  out.push("बजकर", ...cardinal(String(min)), "मिनट");
  if (sec !== undefined) out.push("और", ...cardinal(String(sec)), "सेकंड");
  return out;
}

export const clockTime = figureRule("clock time", RE_CLOCK, (m) =>
  timeWords(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])),
);
