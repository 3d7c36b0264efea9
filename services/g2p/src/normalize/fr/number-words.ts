/**
 * French numbers as words, traditional spelling (hyphens below a hundred,
 * "et" in 21..71): 21 vingt et un, 80 quatre-vingts, 200 deux cents, 201 deux
 * cent un, 2000 deux mille, 2 000 000 deux millions. Cardinals up to
 * 10^18 - 1 (billiards); longer strings are said digit by digit. Pure functions.
 */

const UNITS = [
  "zéro",
  "un",
  "deux",
  "trois",
  "quatre",
  "cinq",
  "six",
  "sept",
  "huit",
  "neuf",
  "dix",
  "onze",
  "douze",
  "treize",
  "quatorze",
  "quinze",
  "seize",
];
const TENS = ["", "dix", "vingt", "trente", "quarante", "cinquante", "soixante"];
/** Scale words by groups of three digits: 10^3 mille (invariable), then nouns that take an s. */
const SCALES = ["", "mille", "million", "milliard", "billion", "billiard"];
/** Longest digit string said as one number (999 billiards ...). */
export const MAX_CARDINAL_DIGITS = 18;

/** 0..99 as words ("vingt et un" is three words, "vingt-cinq" one). `plural`: 80 ends in s (quatre-vingts). */
function below100(n: number, plural: boolean): string[] {
  if (n <= 16) return [UNITS[n]!];
  if (n < 20) return [`dix-${UNITS[n - 10]}`];
  if (n < 70) {
    const t = TENS[Math.floor(n / 10)]!;
    const u = n % 10;
    if (u === 0) return [t];
    if (u === 1) return [t, "et", "un"];
    return [`${t}-${UNITS[u]}`];
  }
  if (n < 80) {
    if (n === 71) return ["soixante", "et", "onze"];
    return [`soixante-${below100(n - 60, false)[0]}`];
  }
  if (n === 80) return [plural ? "quatre-vingts" : "quatre-vingt"];
  return [`quatre-vingt-${below100(n - 80, false)[0]}`];
}

/** 1..999; `plural`: a final "cents" / "quatre-vingts" takes its s (not before "mille"). */
function below1000(n: number, plural: boolean): string[] {
  const h = Math.floor(n / 100);
  const r = n % 100;
  const out: string[] = [];
  if (h === 1) out.push("cent");
  else if (h > 1) out.push(UNITS[h]!, r === 0 && plural ? "cents" : "cent");
  if (r) out.push(...below100(r, plural));
  return out;
}

/**
 * The words of one group of three digits worth `g` at scale `k` (0 units,
 * 1 mille, 2 million ...): "" for a zero group.
 */
export function groupWords(g: number, k: number): string[] {
  if (g === 0) return [];
  if (k === 0) return below1000(g, true);
  if (k === 1) return g === 1 ? ["mille"] : [...below1000(g, false), "mille"];
  return [...below1000(g, true), SCALES[k]! + (g > 1 ? "s" : "")];
}

/** "un" -> "une" at the end (vingt et une heures, une heure). */
export function feminine(words: string[]): string[] {
  const last = words.at(-1);
  if (last === "un") return [...words.slice(0, -1), "une"];
  if (last?.endsWith("-un")) return [...words.slice(0, -1), `${last.slice(0, -2)}une`];
  return words;
}

/** A string of digits as a cardinal ("007" reads seven; more than 18 digits: one by one). */
export function cardinal(digits: string, fem = false): string[] {
  const d = digits.replace(/^0+(?=\d)/, "");
  if (d.length > MAX_CARDINAL_DIGITS) return digitByDigit(d);
  if (/^0+$/.test(d)) return ["zéro"];
  const out: string[] = [];
  const groups = splitGroups(d);
  groups.forEach((g, idx) => out.push(...groupWords(Number(g), groups.length - 1 - idx)));
  return fem ? feminine(out) : out;
}

/** "1234567" -> ["1", "234", "567"]. */
export function splitGroups(d: string): string[] {
  const out: string[] = [];
  for (let e = d.length; e > 0; e -= 3) out.unshift(d.slice(Math.max(0, e - 3), e));
  return out;
}

export function digitByDigit(d: string): string[] {
  return [...d].filter((c) => /\d/.test(c)).map((c) => UNITS[Number(c)]!);
}

/**
 * The part after the decimal comma: up to three digits read as a number after
 * their leading zeros (3,05 trois virgule zéro cinq, 3,14 ... quatorze), longer
 * parts digit by digit.
 */
export function fractionDigits(frac: string): string[] {
  if (frac.length > 3) return digitByDigit(frac);
  const zeros = /^0*/.exec(frac)![0].length;
  const rest = frac.slice(zeros);
  return [...Array<string>(zeros).fill("zéro"), ...(rest ? cardinal(rest) : [])];
}

/** "3,5": trois virgule cinq. */
export function decimal(intPart: string, frac: string): string[] {
  return [...cardinal(intPart || "0"), "virgule", ...fractionDigits(frac)];
}

/** The ordinal of a cardinal word: cinq -> cinquième, neuf -> neuvième, quatre-vingts -> quatre-vingtième. */
function ordinalOf(word: string): string {
  const parts = word.split("-");
  let w = parts.pop()!;
  if (/^(vingts|cents|millions|milliards|billions|billiards)$/.test(w)) w = w.slice(0, -1);
  if (w === "cinq") w = "cinqu";
  else if (w === "neuf") w = "neuv";
  else if (w.endsWith("e")) w = w.slice(0, -1);
  return [...parts, `${w}ième`].join("-");
}

/** 1 premier (première), 2 deuxième, 21 vingt et unième, 100 centième. */
export function ordinal(digits: string, fem = false): string[] {
  const d = digits.replace(/^0+(?=\d)/, "");
  if (d === "1") return [fem ? "première" : "premier"];
  const words = cardinal(d);
  if (d.length > MAX_CARDINAL_DIGITS) return words;
  return [...words.slice(0, -1), ordinalOf(words.at(-1)!)];
}

/** Roman numeral value ("XXI" 21), undefined when it is not one. */
export function romanValue(s: string): number | undefined {
  if (!s || !/^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(s)) return undefined;
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const a = v[s[i]!]!;
    const b = v[s[i + 1]!] ?? 0;
    total += a < b ? -a : a;
  }
  return total;
}
