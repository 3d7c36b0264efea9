/**
 * Clock times: "14h30", "14 h 30", "14:30" quatorze heures trente; "9h" neuf
 * heures; "14h05" quatorze heures cinq; "1h" une heure (heure is feminine, so
 * are the minutes: "21h01" vingt et une heures une).
 */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { cardinal } from "./number-words";

const RE_HOUR_H = /^(\d{1,2})\s?[hH](?:(\d{2})(?:min)?)?$/;
const RE_CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** The words of a time; undefined when it cannot be one (25h, 14:75). */
export function timeWords(h: number, min?: number, sec?: number): string[] | undefined {
  if (h > 24 || (min ?? 0) > 59 || (sec ?? 0) > 59) return undefined;
  const out = [...cardinal(String(h), true), h < 2 ? "heure" : "heures"];
  if (sec !== undefined) {
    out.push(...cardinal(String(min ?? 0), true), (min ?? 0) < 2 ? "minute" : "minutes");
    out.push("et", ...cardinal(String(sec), true), sec < 2 ? "seconde" : "secondes");
  } else if (min) out.push(...cardinal(String(min), true));
  return out;
}

/** "14h30", "9h", "14h05". */
export const hourH = figureRule("hour h", RE_HOUR_H, (m) =>
  timeWords(Number(m[1]), m[2] === undefined ? undefined : Number(m[2])),
);

/** "14:30", "08:15:30". */
export const clockTime = figureRule("clock time", RE_CLOCK, (m) =>
  timeWords(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])),
);

/**
 * "14 h 30", "9 h": after an hour `h` was read as a number (not yet said), the
 * run "h" and maybe minutes follow. Says the hour at [start, end) and takes them.
 */
export function hourRuns(ctx: Context, h: number, start: number, end: number): boolean {
  const hRun = ctx.next();
  if (!hRun || !/^[hH]$/.test(hRun.core) || h > 24) return false;
  const minRun = hRun.trailing === "" ? ctx.next(1) : undefined;
  const min = minRun && /^\d{2}$/.test(minRun.core) && Number(minRun.core) <= 59 ? minRun : undefined;
  ctx.word(start, end, cardinal(String(h), true));
  ctx.take(hRun, [h < 2 ? "heure" : "heures"]);
  if (min && Number(min.core) > 0) ctx.take(min, cardinal(min.core, true));
  else if (min) ctx.take(min, []);
  return true;
}
