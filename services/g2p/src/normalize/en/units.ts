/** Measures: "5 km", "3kg", "20°C", "5'11\"", and the unit after a number in the next run. */
import type { Context } from "../context";
import { figureRule } from "../rule";
import { cardinal } from "./number-words";
import { NUM } from "./patterns";
import { num, sign } from "./say";
import { CURRENCY_CODES, UNITS } from "./tables";

const RE_DEGREES = new RegExp(`^([-−])?(${NUM})°\\s?([CFK])?$`);
const RE_FEET_INCHES = /^(\d{1,2})['’](?:(\d{1,2})(?:"|''|”)?)?$/;
const RE_UNIT_ATTACHED = new RegExp(`^(${NUM})([a-zA-Zµ]+(?:/[a-zA-Z]+)?)$`);
const SCALES: Record<string, string> = { C: "Celsius", F: "Fahrenheit", K: "Kelvin" };

export const degrees = figureRule("degrees", RE_DEGREES, (m, _tok, ctx) => [...sign(m[1]), ...num(ctx, m[2]!), m[2] === "1" ? "degree" : "degrees", ...(m[3] ? [SCALES[m[3]]!] : [])]);

/** "6'", "5'11\"": feet and inches. */
export const feetInches = figureRule("feet and inches", RE_FEET_INCHES, (m) => [...cardinal(m[1]!), m[1] === "1" ? "foot" : "feet", ...(m[2] ? [...cardinal(m[2]), m[2] === "1" ? "inch" : "inches"] : [])]);

/** "3kg", "10km/h": a unit written against its number. */
export const attachedUnit = figureRule("attached unit", RE_UNIT_ATTACHED, (m, _tok, ctx) => {
  const unit = unitOf(m[2]!);
  if (unit) return [...num(ctx, m[1]!), ...unitWords(ctx, m[1] === "1" ? unit[0] : unit[1])];
});

/** A unit's [singular, plural] name, or undefined when `core` is not a unit symbol. */
export function unitOf(core: string): [string, string] | undefined {
  if (core === "°C" || core === "ºC") return ["degree Celsius", "degrees Celsius"];
  if (core === "°F" || core === "ºF") return ["degree Fahrenheit", "degrees Fahrenheit"];
  if (core === "°K") return ["kelvin", "kelvins"];
  if (core === "°") return ["degree", "degrees"];
  if (CURRENCY_CODES[core]) return CURRENCY_CODES[core];
  return UNITS[core] ?? (core.length > 2 ? UNITS[core.toLowerCase()] : undefined);
}

/** Unit names as words, British spellings for en-gb (kilometre, litre). */
export function unitWords(ctx: Context, name: string): string[] {
  const words = name.split(" ");
  return ctx.opts.dialect === "gb" ? words.map((w) => w.replace(/^(\w*(?:met|lit))er(s?)$/, "$1re$2")) : words;
}

/** "5 km", "60 mph", "20 °C": the unit in the next run, after the number `n`. */
export function unitAfter(ctx: Context, n: number): void {
  const next = ctx.next();
  if (!next) return;
  const { core, trailing } = next;
  const unit = unitOf(core);
  if (!unit) return;
  // "a" / "in" / "s" as units only when clearly so: require a known unit that is not a common word after a number
  if (["in", "a", "s", "t", "h", "A", "B", "W", "V", "x", "m", "g", "l"].includes(core) && !/^[.,;:!?)]*$/.test(trailing)) return;
  if (core === "in" || core === "a") return;
  ctx.take(next, unitWords(ctx, n === 1 ? unit[0] : unit[1]));
}
