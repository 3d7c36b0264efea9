/** Clock times: "3:45 PM" three forty-five P M, "5:00" five o'clock, "15:00" fifteen hundred, "5pm". */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { cardinal } from "./number-words";

const RE_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([ap])\.?m\.?)?$/i;
const RE_HOUR_AMPM = /^(\d{1,2})([ap])\.?m\.?$/i;

export function isClockTime(c: string): boolean {
  return RE_TIME.test(c);
}

export const clockTime = figureRule("clock time", RE_TIME, (m, tok, ctx) => {
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] ? Number(m[3]) : undefined;
  // a ratio or score ("3:75"): "three seventy-five"
  if (h > 24 || min > 59) return [...cardinal(m[1]!), ...cardinal(m[2]!)];
  const words = [...cardinal(String(h))];
  const ampmNext = !m[4] && tok.canLook && /^[ap]\.?m\.?/i.test(ctx.peekRun()?.text ?? "");
  if (min === 0 && sec === undefined) {
    if (!m[4] && ampmNext) {
      /* "5:00 a.m." -> five a m */
    } else if (!m[4] && h >= 1 && h <= 12) words.push("o'clock");
    else if (!m[4]) words.push("hundred");
  } else if (min < 10) words.push("oh", ...cardinal(String(min)));
  else words.push(...cardinal(String(min)));
  if (sec !== undefined) words.push("and", ...cardinal(String(sec)), sec === 1 ? "second" : "seconds");
  if (m[4]) words.push(m[4].toUpperCase(), "M");
  ctx.word(tok.start, tok.end, words);
  if (tok.canLook && !m[4]) ampmAfter(ctx);
  return true;
});

/** "5pm", "11a.m." */
export const hourAmPm = figureRule("hour am/pm", RE_HOUR_AMPM, (m) => [
  ...cardinal(m[1]!),
  m[2]!.toUpperCase(),
  "M",
]);

/** "3 PM", "3:45 p.m.": takes the A M / P M after a time or an hour. */
export function ampmAfter(ctx: Context): boolean {
  const next = ctx.next();
  if (!next) return false;
  const { core, trailing } = next;
  let m = /^([ap])\.?m\.?$/i.exec(core + (trailing.startsWith(".") ? "." : ""));
  if (
    !m ||
    !/^(AM|PM|am|pm|a\.m\.?|p\.m\.?|A\.M\.?|P\.M\.?)$/.test(
      core + (trailing.startsWith(".") && core.includes(".") ? "." : ""),
    )
  )
    m = null;
  if (!m) return false;
  const withPeriod = core.includes(".") && trailing.startsWith(".");
  const used = core.length + (withPeriod ? 1 : 0);
  // "at 5 p.m. Then": the period also ends the sentence
  const after = ctx.peekRun(1);
  const endsSentence = withPeriod && trailing.length === 1 && (!after || /^\p{Lu}/u.test(after.text));
  ctx.take(next, [m[1]!.toUpperCase(), "M"], used, endsSentence);
  return true;
}
