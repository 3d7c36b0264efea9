/**
 * Measures: "5 km", "3kg", "20°C", "5'11\"", the unit after a number in the
 * next run, and units used as adjectives: before the noun they describe they
 * are singular and joined to the number ("a 5 V battery": a five-volt
 * battery, "a 100 kW motor": a hundred-kilowatt motor).
 *
 * A single capital glued to a number ("9V", "66A") is a unit only when the
 * context says so (see `letterIsUnit`); otherwise it is a letter (codes.ts).
 */
import type { Context, NextRun } from "../context";
import { figureRule } from "../rule";
import { codeContext, codeNumber } from "./codes";
import { cardinal } from "./number-words";
import { NUM } from "./patterns";
import { num, sign } from "./say";
import { CURRENCY_CODES, UNITS } from "./tables";
import { own } from "../../own";

const RE_DEGREES = new RegExp(`^([-−])?(${NUM})°\\s?([CFK])?$`);
const RE_FEET_INCHES = /^(\d{1,2})['’](?:(\d{1,2})(?:"|''|”)?)?$/;
const RE_UNIT_ATTACHED = new RegExp(`^(${NUM})([a-zA-Zµ]+(?:/[a-zA-Z]+)?)$`);
const RE_UNIT_HYPHENED = new RegExp(`^(${NUM})-([a-zA-Zµ]+(?:/[a-zA-Z]+)?)$`);
const RE_LETTERED = new RegExp(`^(${NUM})([A-Z])$`);
const SCALES: Record<string, string> = { C: "Celsius", F: "Fahrenheit", K: "Kelvin" };

export const degrees = figureRule("degrees", RE_DEGREES, (m, _tok, ctx) => [
  ...sign(m[1]),
  ...num(ctx, m[2]!),
  m[2] === "1" ? "degree" : "degrees",
  ...(m[3] ? [SCALES[m[3]]!] : []),
]);

/** "6'", "5'11\"": feet and inches. */
export const feetInches = figureRule("feet and inches", RE_FEET_INCHES, (m) => [
  ...cardinal(m[1]!),
  m[1] === "1" ? "foot" : "feet",
  ...(m[2] ? [...cardinal(m[2]), m[2] === "1" ? "inch" : "inches"] : []),
]);

/**
 * "Route 66A", "Gate 7B", "Suite 1203A", "5G": a number and a capital letter,
 * said as the number (a code after a room or a route) and the letter. When the
 * letter is a unit symbol and the context says unit ("a 9V battery"), the
 * next rule says it as a unit.
 */
export const letteredNumber = figureRule("lettered number", RE_LETTERED, (m, tok, ctx) => {
  const code = codeContext(ctx, tok.canLook);
  if (!code && letterIsUnit(ctx, m[2]!, m[1]!, tok.canLook ? ctx.next() : undefined)) return;
  return [...(code && /^\d+$/.test(m[1]!) ? codeNumber(m[1]!, code !== "place") : num(ctx, m[1]!)), m[2]!];
});

/** "3kg", "10km/h", "a 9V battery": a unit written against its number (a single capital only after `letteredNumber` let it through). */
export const attachedUnit = figureRule("attached unit", RE_UNIT_ATTACHED, (m, tok, ctx) => {
  const unit = unitOf(m[2]!);
  if (!unit) return;
  const before = wordBefore(ctx);
  const next = tok.canLook ? ctx.next() : undefined;
  if (describesNoun(m[2]!, next, before))
    return [...adjectiveNumber(num(ctx, m[1]!), before), ...unitWords(ctx, unit[0])];
  return [...num(ctx, m[1]!), ...unitWords(ctx, m[1] === "1" ? unit[0] : unit[1])];
});

/** "a 10-km run": a number and unit joined by a hyphen describe what follows. */
export const hyphenedUnit = figureRule("hyphened unit", RE_UNIT_HYPHENED, (m, tok, ctx) => {
  const unit = unitOf(m[2]!);
  if (!unit || m[2] === "x") return;
  const before = wordBefore(ctx);
  if (
    isLetterUnit(m[2]!) &&
    (codeContext(ctx) || !letterIsUnit(ctx, m[2]!, m[1]!, tok.canLook ? ctx.next() : undefined))
  )
    return;
  return [...adjectiveNumber(num(ctx, m[1]!), before), ...unitWords(ctx, unit[0])];
});

/** A unit's [singular, plural] name, or undefined when `core` is not a unit symbol. */
export function unitOf(core: string): [string, string] | undefined {
  if (core === "°C" || core === "ºC") return ["degree Celsius", "degrees Celsius"];
  if (core === "°F" || core === "ºF") return ["degree Fahrenheit", "degrees Fahrenheit"];
  if (core === "°K") return ["kelvin", "kelvins"];
  if (core === "°") return ["degree", "degrees"];
  if (own(CURRENCY_CODES, core)) return own(CURRENCY_CODES, core);
  return own(UNITS, core) ?? (core.length > 2 ? own(UNITS, core.toLowerCase()) : undefined);
}

/** Unit names as words, British spellings for en-gb (kilometre, litre). */
export function unitWords(ctx: Context, name: string): string[] {
  const words = name.split(" ");
  return ctx.opts.dialect === "gb"
    ? words.map((w) => w.replace(/^(\w*(?:met|lit))er(s?)$/, "$1re$2"))
    : words;
}

/**
 * "5 km", "60 mph", "20 °C": the unit in the next run, after the number `n`.
 * `before`: the word written before the number (`wordBefore`).
 * `afterIdentifier`: the number names something ("Gate 7 B"), so a single
 * capital after it is a letter.
 */
export function unitAfter(
  ctx: Context,
  n: number,
  before: string | undefined,
  afterIdentifier = false,
): void {
  const next = ctx.next();
  if (!next) return;
  const { core, trailing } = next;
  const unit = unitOf(core);
  if (!unit) return;
  // "a" / "in" / "s" as units only when clearly so: require a known unit that is not a common word after a number
  if (
    ["in", "a", "s", "t", "h", "A", "B", "W", "V", "x", "m", "g", "l"].includes(core) &&
    !/^[.,;:!?)]*$/.test(trailing)
  )
    return;
  if (core === "in" || core === "a") return;
  if (afterIdentifier && isLetterUnit(core)) return;
  const noun = trailing === "" ? ctx.next(1) : undefined;
  if (describesNoun(core, noun, before)) {
    const said = ctx.prevWordItem();
    if (said) said.words = adjectiveNumber(said.words, before);
    ctx.take(next, unitWords(ctx, unit[0]));
    return;
  }
  ctx.take(next, unitWords(ctx, n === 1 ? unit[0] : unit[1]));
}

/** The word written just before this point, lowercase ("a" in "a 5 V battery", not the letter of "66A"). */
export function wordBefore(ctx: Context): string | undefined {
  return ctx.prevWordItem() && ctx.prevText().toLowerCase();
}

/** Single capitals that are also unit symbols. */
const LETTER_UNITS = new Set(["A", "B", "V", "W", "L"]);

function isLetterUnit(symbol: string): boolean {
  return LETTER_UNITS.has(symbol);
}

/** Nouns a letter unit describes: "a 9V battery", "a 2L bottle", "512B of memory". */
const POWER_NOUNS = words(
  "battery batteries bulb bulbs charger chargers motor motors adapter adapters supply supplies fuse fuses outlet outlets socket sockets cell cells circuit circuits " +
    "lamp lamps led leds light lights rail rails heater heaters amplifier amplifiers speaker speakers panel panels inverter inverters generator generators " +
    "device devices output input power current load drill drills pump pumps fan fans port ports plug plugs cable cables transformer transformers relay relays system systems",
);
const DATA_NOUNS = words(
  "memory ram storage data buffer buffers block blocks cache file files packet packets payload payloads chunk chunks",
);
const VOLUME_NOUNS = words(
  "bottle bottles jug jugs tank tanks container containers carton cartons can cans jar jars pot pots engine engines bucket buckets",
);
const LETTER_UNIT_NOUNS: Record<string, Set<string>> = {
  A: POWER_NOUNS,
  V: POWER_NOUNS,
  W: POWER_NOUNS,
  B: DATA_NOUNS,
  L: VOLUME_NOUNS,
};
/** Words before a measure of current, voltage, power or volume: "rated at 5A", "up to 65W". */
const MEASURE_WORDS = words(
  "at about around approximately approx over under than from between up max maximum min minimum nominal only just draws draw drawing delivers deliver delivering " +
    "outputs supplies uses use using consumes consume needs need requires require rated",
);
/** "The output is 5V": a copula before a voltage or a power (not before a seat: "my seat is 12A"). */
const COPULAS = words("is are was were be");

/**
 * Is a single capital glued to a number ("9V", "66A") a unit here? Only with
 * evidence: a decimal or grouped number ("3.7V"), a measuring word before
 * ("at 5A", "up to 65W"), a noun it describes or "of" after ("9V battery",
 * "2L of water"), or a sibling measure ("5V and 12V").
 */
export function letterIsUnit(
  ctx: Context,
  letter: string,
  numberText: string,
  next: NextRun | undefined,
): boolean {
  const nouns = own(LETTER_UNIT_NOUNS, letter);
  if (!nouns) return false;
  if (/[.,]/.test(numberText) && letter !== "B") return true;
  const [w1, w2] = ctx.recentWords(2);
  const measured =
    MEASURE_WORDS.has(w1 ?? "") ||
    (w1 === "to" && w2 === "up") ||
    ((letter === "V" || letter === "W") && COPULAS.has(w1 ?? ""));
  if (measured && letter !== "B") return true;
  const names = unitOf(letter)!;
  if ((w1 === "and" || w1 === "or" || w1 === "to") && w2 && names.includes(w2)) return true;
  const after = next?.core.toLowerCase();
  if (after && (nouns.has(after) || after === "of")) return true;
  if ((after === "and" || after === "or" || after === "to") && next!.trailing === "") {
    const sibling = ctx.next(1);
    if (sibling && new RegExp(`^(?:${NUM})${letter}$`).test(sibling.core)) return true;
  }
  return false;
}

/** Words before a measure that make it describe the noun after it: "a 5 V battery", "the 100 m sprint". */
const DETERMINERS = words(
  "a an the this that these those each every any some no another our my your his her its their whose several both",
);
/** Words that are not a noun described by the measure before them ("5 km away", "the 10 kg I lost"). */
const NOT_NOUNS = words(
  "of per in on at to from by for with without into onto over under above below across through past around about between behind before after since until " +
    "up down off out and or but nor so yet than then if as when while where which who whom whose what that this these those it its he she they we you i " +
    "is are was were be been being has have had will would can could should shall may might must do does did " +
    "away long wide high tall deep thick thin old ago later earlier apart ahead behind back north south east west left right more less fewer too also only just " +
    "each apiece total overall today yesterday tomorrow tonight daily weekly now again already still even very much a an the x times",
);

/**
 * Does the measure describe the noun in `noun` (the run after the unit)? A
 * lowercase word that is not a function word, after a determiner ("a 5 V
 * battery") or one of the nouns units often describe ("uses 5 V batteries").
 */
function describesNoun(symbol: string, noun: NextRun | undefined, before: string | undefined): boolean {
  if (!noun || symbol === "x") return false;
  const w = noun.core;
  const determined = before !== undefined && DETERMINERS.has(before);
  const lowerWord = /^\p{Ll}+(?:-\p{Ll}+)*$/u.test(w);
  if (!lowerWord && !(determined && /^\p{Lu}{2,5}s?$/u.test(w))) return false;
  if (NOT_NOUNS.has(w)) return false;
  return determined || POWER_NOUNS.has(w) || DATA_NOUNS.has(w) || VOLUME_NOUNS.has(w);
}

/** "a 100 kW motor": a hundred-kilowatt motor (after "a", "one hundred" loses its "one"). */
function adjectiveNumber(said: string[], before: string | undefined): string[] {
  const big = ["hundred", "thousand", "million", "billion"];
  return (before === "a" || before === "an") && said[0] === "one" && big.includes(said[1] ?? "")
    ? said.slice(1)
    : said;
}

function words(s: string): Set<string> {
  return new Set(s.split(" "));
}
