/** Numbers as words, the way a careful reader says them. Pure functions. */
import { own } from "../../own";

const ONES = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES = [
  "",
  "thousand",
  "million",
  "billion",
  "trillion",
  "quadrillion",
  "quintillion",
  "sextillion",
  "septillion",
  "octillion",
  "nonillion",
  "decillion",
];

/** Words for 0..99 ("ninety-seven"). */
function under100(n: number): string[] {
  if (n < 20) return [ONES[n]!];
  const t = Math.floor(n / 10);
  const o = n % 10;
  return o ? [`${TENS[t]}-${ONES[o]}`] : [TENS[t]!];
}

function under1000(n: number, and: boolean): string[] {
  const h = Math.floor(n / 100);
  const r = n % 100;
  const out: string[] = [];
  if (h) out.push(ONES[h]!, "hundred");
  if (r) {
    if (h && and) out.push("and");
    out.push(...under100(r));
  }
  return out;
}

export const MAX_CARDINAL_DIGITS = SCALES.length * 3;

/**
 * A cardinal from its digits ("3497" -> three thousand four hundred ninety-seven).
 * `and`: British "one hundred and five". Longer than the scale names go: digit by digit.
 */
export function cardinal(digits: string, and = false): string[] {
  const d = digits.replace(/^0+(?=\d)/, "");
  if (!/^\d+$/.test(d)) throw new Error(`not digits: ${digits}`);
  if (d.length > MAX_CARDINAL_DIGITS) return digitByDigit(d);
  if (d === "0") return ["zero"];
  const groups: number[] = [];
  for (let end = d.length; end > 0; end -= 3) groups.unshift(Number(d.slice(Math.max(0, end - 3), end)));
  const out: string[] = [];
  groups.forEach((g, i) => {
    const scale = groups.length - 1 - i;
    if (!g) return;
    const isLast = scale === 0;
    // British "and" before a last group under 100 after a larger part
    if (isLast && and && g < 100 && out.length) out.push("and");
    out.push(...under1000(g, and));
    if (scale) out.push(SCALES[scale]!);
  });
  return out;
}

export function digitByDigit(d: string): string[] {
  return [...d].map((c) => (c === "0" ? "zero" : ONES[Number(c)]!));
}

const ORD_IRREGULAR: Record<string, string> = {
  one: "first",
  two: "second",
  three: "third",
  five: "fifth",
  eight: "eighth",
  nine: "ninth",
  twelve: "twelfth",
};

/** The ordinal form of a cardinal's last word ("twenty-one" -> "twenty-first"). */
export function ordinalWord(word: string): string {
  const dash = word.lastIndexOf("-");
  if (dash >= 0) return word.slice(0, dash + 1) + ordinalWord(word.slice(dash + 1));
  if (own(ORD_IRREGULAR, word)) return own(ORD_IRREGULAR, word)!;
  if (word.endsWith("y")) return word.slice(0, -1) + "ieth";
  return word + "th";
}

export function ordinal(digits: string, and = false): string[] {
  const words = cardinal(digits, and);
  words[words.length - 1] = ordinalWord(words[words.length - 1]!);
  return words;
}

/** "1990" -> nineteen ninety, "2005" -> two thousand five, "1905" -> nineteen oh five, "2025" -> twenty twenty-five. */
export function year(digits: string): string[] {
  const n = Number(digits);
  if (!/^\d{1,4}$/.test(digits)) return cardinal(digits);
  if (n < 1000) return cardinal(digits);
  if (n % 1000 === 0 || (n >= 2000 && n < 2010)) return cardinal(digits);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (lo === 0) return [...under100(hi), "hundred"];
  if (lo < 10) return [...under100(hi), "oh", ONES[lo]!];
  return [...under100(hi), ...under100(lo)];
}

/** Plural of a year: "1990s" -> nineteen nineties. */
export function yearPlural(digits: string): string[] {
  const words = digits.length === 2 ? under100(Number(digits)) : year(digits);
  const last = words[words.length - 1]!;
  words[words.length - 1] = pluralNumberWord(last);
  return words;
}

export function pluralNumberWord(w: string): string {
  const dash = w.lastIndexOf("-");
  if (dash >= 0) return w.slice(0, dash + 1) + pluralNumberWord(w.slice(dash + 1));
  if (w.endsWith("y")) return w.slice(0, -1) + "ies";
  if (w === "six") return "sixes";
  return w + "s";
}

/** "3.14" -> three point one four; "-2" handled by the caller. */
export function decimal(intPart: string, frac: string, and = false): string[] {
  const out = intPart === "" ? [] : cardinal(intPart, and);
  if (frac === "") return out;
  return [...out, "point", ...digitByDigit(frac)];
}

const FRACTION_NAMES: Record<string, [string, string]> = {
  "2": ["half", "halves"],
  "4": ["quarter", "quarters"],
};

/** "1/2" -> one half, "3/4" -> three quarters, "5/8" -> five eighths. */
export function fraction(num: string, den: string): string[] {
  const n = Number(num);
  const named = FRACTION_NAMES[String(Number(den))];
  const numWords = cardinal(num);
  if (named) return [...numWords, n === 1 ? named[0] : named[1]];
  if (Number(den) === 1) return [...numWords, "over", "one"];
  const ord = ordinal(den);
  if (n !== 1) ord[ord.length - 1] = ord[ord.length - 1]! + "s";
  return [...numWords, ...ord];
}

/** Arabic value of a Roman numeral (I..MMMCMXCIX), or undefined when not well formed. */
export function romanValue(s: string): number | undefined {
  if (!/^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(s) || s === "") return undefined;
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const a = v[s[i]!]!;
    const b = v[s[i + 1]!] ?? 0;
    total += a < b ? -a : a;
  }
  return total;
}
