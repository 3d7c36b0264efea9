/**
 * Italian numbers as words. Under a million a cardinal is one word
 * ("duemilaventicinque", "centoventitré"): tens drop their vowel before "uno"
 * and "otto" ("ventuno", "ventotto"), a final "tre" takes an accent
 * ("ventitré"), "mille" but "duemila", "ventunmila". From a million on the
 * scale words stand apart: "un milione", "due milioni", "un miliardo",
 * "mille miliardi" is "un bilione" (10^12), "un biliardo" (10^15). Ordinals:
 * "primo" to "decimo", then the cardinal with "-esimo" ("ventitreesimo").
 */
import type { Gender, NumberForm } from "../romance/types";

const UNDER_20 = [
  "zero",
  "uno",
  "due",
  "tre",
  "quattro",
  "cinque",
  "sei",
  "sette",
  "otto",
  "nove",
  "dieci",
  "undici",
  "dodici",
  "tredici",
  "quattordici",
  "quindici",
  "sedici",
  "diciassette",
  "diciotto",
  "diciannove",
];
const TENS = [
  "",
  "",
  "venti",
  "trenta",
  "quaranta",
  "cinquanta",
  "sessanta",
  "settanta",
  "ottanta",
  "novanta",
];
/** Scales of three digits from 10^6: milione, miliardo, bilione, biliardo, trilione. */
const SCALES: Array<[string, string]> = [
  ["", ""],
  ["", ""],
  ["milione", "milioni"],
  ["miliardo", "miliardi"],
  ["bilione", "bilioni"],
  ["biliardo", "biliardi"],
];

function under100(n: number): string {
  if (n < 20) return UNDER_20[n]!;
  const o = n % 10;
  const tens = TENS[Math.floor(n / 10)]!;
  if (!o) return tens;
  return (o === 1 || o === 8 ? tens.slice(0, -1) : tens) + UNDER_20[o]!;
}

/** 0 < n < 1000 as one word ("" for 0). */
function under1000(n: number): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  let hundreds = h === 0 ? "" : h === 1 ? "cento" : `${UNDER_20[h]}cento`;
  // "centottanta": cento drops its vowel before ottanta
  if (hundreds && r >= 80 && r < 90) hundreds = hundreds.slice(0, -1);
  return hundreds + (r ? under100(r) : "");
}

/** 0 < n < 10^6 as one word: "mille", "duemila", "ventunmila". */
function underMillion(n: number): string {
  const th = Math.floor(n / 1000);
  const r = n % 1000;
  let thousands = "";
  if (th === 1) thousands = "mille";
  else if (th) {
    const t = under1000(th);
    thousands = (t.endsWith("uno") ? t.slice(0, -1) : t) + "mila";
  }
  return thousands + under1000(r);
}

/** A final "tre" in a compound takes the accent: "ventitré", "milletré". */
function accent(word: string): string {
  return word.length > 3 && word.endsWith("tre") ? `${word.slice(0, -3)}tré` : word;
}

/** A cardinal from its digits (up to 18). `form`: "una" feminine and "un" before a noun, for one alone. */
export function cardinal(digits: string, form: NumberForm = "m"): string[] {
  if (/^0+$/.test(digits)) return ["zero"];
  if (/^0*1$/.test(digits)) return [form === "f" ? "una" : form === "before-noun" ? "un" : "uno"];
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3)
    groups.unshift(Number(digits.slice(Math.max(0, end - 3), end)));
  const out: string[] = [];
  groups.forEach((g, i) => {
    const scale = groups.length - 1 - i;
    if (!g || scale < 2) return;
    if (g === 1) out.push("un", SCALES[scale]![0]);
    else out.push(accent(under1000(g)), SCALES[scale]![1]);
  });
  const low = Number(digits.slice(-6));
  if (low) out.push(accent(underMillion(low)));
  return out;
}

const FIRST_TEN = [
  "",
  "primo",
  "secondo",
  "terzo",
  "quarto",
  "quinto",
  "sesto",
  "settimo",
  "ottavo",
  "nono",
  "decimo",
];

/** 1º primo, 1ª prima, 11º undicesimo, 23º ventitreesimo, 1000º millesimo. */
export function ordinal(n: number, gender: Gender): string[] | undefined {
  if (n < 1) return undefined;
  let word: string;
  if (n <= 10) word = FIRST_TEN[n]!;
  else if (n >= 1_000_000) return undefined;
  else {
    const c = underMillion(n);
    if (c.endsWith("mila")) word = `${c.slice(0, -4)}millesimo`;
    else if (c.endsWith("tre") || c.endsWith("sei")) word = `${c}esimo`;
    else word = `${c.slice(0, -1)}esimo`;
  }
  return [gender === "f" ? word.replace(/o$/, "a") : word];
}
