/**
 * Clock times: "14:30", "9:05", "14:30:15", and where the locale writes them
 * so (pt-br) "14h30", "14h", "14h30min". The language says the time; a figure
 * that is not a time ("25:99") is said as two numbers.
 */
import { figureRule } from "../rule";
import type { RomanceLanguage } from "./types";

const RE_COLON_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const RE_HOUR_LETTER_TIME = /^(\d{1,2})h(\d{2})?(?:min)?$/;

export function timeRules(lang: RomanceLanguage) {
  const say = (h: string, min: string, sec: string | undefined) => {
    const hour = Number(h);
    const minute = Number(min);
    const second = sec === undefined ? undefined : Number(sec);
    if (hour > 24 || minute > 59 || (second ?? 0) > 59)
      return [...lang.cardinal(String(hour)), ...lang.cardinal(String(minute))];
    return lang.time(hour, minute, second);
  };
  const rules = [figureRule("clock time", RE_COLON_TIME, (m) => say(m[1]!, m[2]!, m[3]))];
  if (lang.hourLetterTimes)
    rules.push(
      figureRule("hour-letter time", RE_HOUR_LETTER_TIME, (m) => {
        if (Number(m[1]) <= 24) return say(m[1]!, m[2] ?? "0", undefined);
      }),
    );
  return rules;
}
