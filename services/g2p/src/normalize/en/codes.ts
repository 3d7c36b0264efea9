/**
 * Numbers that name things (rooms, gates, flights, orders, models) are read
 * as codes, the way people say them: four digits in pairs ("room 1203":
 * twelve oh three, "RTX 4090": forty ninety), five or more digit by digit
 * ("order 458213"), and three digits in the "seven thirty-seven" pattern after
 * routes, flights and models ("Boeing 737", "Highway 101", "I-405"). Three
 * digits after a room or an order keep the cardinal ("Room 101": one hundred
 * one). A capital letter glued to such a number is a letter ("Gate 7B",
 * "Route 66A"), never a unit.
 */
import type { Context } from "../context";
import { cardinal } from "./number-words";
import { CURRENCY_CODES } from "./tables";
import { own } from "../../own";

/** After these, a number is an identifier; three digits keep the cardinal. */
const PLACE_NOUNS = new Set(
  (
    "room rooms rm suite ste apartment apt unit flat gate gates seat seats row platform terminal concourse pier berth dock bay stand " +
    "building bldg block lot plot locker box cabin deck ward bed stall studio office desk extension ext " +
    "order orders invoice ticket reference ref receipt case claim policy account acct booking reservation confirmation tracking serial part form code"
  ).split(" "),
);
/** After these, three digits go in pairs too ("flight 286": two eighty-six). */
const PAIRED_NOUNS = new Set(
  "flight flights route rt highway hwy interstate freeway motorway exit bus train tram model boeing airbus cessna embraer porsche peugeot".split(
    " ",
  ),
);
/** Said before a number after the noun that names it ("order number 45821", "order no. 45821"). */
const NUMBER_SIGNS = new Set(["number", "numbers"]);
/** Written before a number that names something, with or without a noun before ("No. 12", "#12"). */
const WRITTEN_SIGNS = new Set(["no.", "nos.", "#"]);

/** Street names end with these: a number before "Baker Street" is a house number. */
const STREET_WORDS = new Set(
  "street st avenue ave road rd boulevard blvd lane ln drive dr way court ct place pl terrace parkway pkwy square sq".split(
    " ",
  ),
);

export type CodeKind = "place" | "paired" | "model";

/**
 * Is the number about to be said a code? "place" after a room or an order
 * ("Room 1203", "Order: 45821", "order no. 45821"), "paired" after a route,
 * flight or model name or before a street name ("Highway 101", "221B Baker
 * Street"), "model" after an all-caps name ("RTX 4090", "BA 286").
 * `canLook`: the number may be read with the runs after it.
 */
export function codeContext(ctx: Context, canLook = false): CodeKind | undefined {
  if (canLook && streetAfter(ctx)) return "paired";
  const before = nameBefore(ctx);
  if (!before) return undefined;
  const [w1, w2] = before.words;
  // "No. 12", "#12" name something even with no noun before them
  if (WRITTEN_SIGNS.has(before.text.toLowerCase()) && !(w2 && (PLACE_NOUNS.has(w2) || PAIRED_NOUNS.has(w2))))
    return "place";
  const noun = NUMBER_SIGNS.has(w1!) && w2 ? w2 : w1!;
  if (PLACE_NOUNS.has(noun)) return "place";
  if (PAIRED_NOUNS.has(noun)) return "paired";
  if (/^\p{Lu}{2,4}$/u.test(before.text) && !own(CURRENCY_CODES, before.text)) return "model";
  return undefined;
}

/**
 * The word item right before the number (a colon may stand between: "Ref:
 * 7734"; no other mark: "room, 5" is not room 5): its last two spoken words
 * (lowercase, the nearest first) and its text.
 */
function nameBefore(ctx: Context): { words: string[]; text: string } | undefined {
  let j = ctx.out.length - 1;
  const last = ctx.out[j];
  if (last?.kind === "punct" && last.ph === ":") j--;
  const item = ctx.out[j];
  if (item?.kind !== "word") return undefined;
  const words = item.words.map((w) => w.toLowerCase()).reverse();
  const earlier = ctx.out[j - 1];
  if (words.length < 2 && earlier?.kind === "word")
    words.push(earlier.words[earlier.words.length - 1]!.toLowerCase());
  return { words, text: ctx.text.slice(item.start, item.end) };
}

/** "221B Baker Street", "1600 Pennsylvania Avenue": one to three capitalised words, then a street word. */
function streetAfter(ctx: Context): boolean {
  for (let k = 0; k < 4; k++) {
    const next = ctx.next(k);
    if (!next) return false;
    if (k > 0 && STREET_WORDS.has(next.core.toLowerCase())) return true;
    if (!/^\p{Lu}\p{Ll}+$/u.test(next.core) || next.trailing !== "") return false;
  }
  return false;
}

/** A code's digits as said: see the module header. `pairThree`: three digits as "seven thirty-seven". */
export function codeNumber(d: string, pairThree: boolean): string[] {
  if (d.length > 1 && d.startsWith("0")) return digits(d);
  if (d.length <= 2 || (d.length === 3 && !pairThree)) return cardinal(d);
  if (d.length === 3) return d.slice(1) === "00" ? cardinal(d) : [...cardinal(d[0]!), ...pair(d.slice(1))];
  if (d.length === 4) {
    if (d.slice(2) === "00") return d[1] === "0" ? cardinal(d) : [...cardinal(d.slice(0, 2)), "hundred"];
    return [...cardinal(d.slice(0, 2)), ...pair(d.slice(2))];
  }
  return digits(d);
}

/** Two digits after others: "05" oh five, "37" thirty-seven. */
function pair(d: string): string[] {
  return d[0] === "0" ? ["oh", ...cardinal(d[1]!)] : cardinal(d);
}

/** Digit by digit, zero as "oh" (as in phone numbers). */
export function digits(d: string): string[] {
  return [...d].map((c) => (c === "0" ? "oh" : cardinal(c)[0]!));
}
