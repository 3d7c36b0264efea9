/**
 * Brazilian Portuguese numbers as words, on the short scale (milhão 10^6,
 * bilhão 10^9, trilhão 10^12, quatrilhão 10^15). "e" joins hundreds, tens and
 * units ("cento e vinte e cinco"), and comes before the last group when that
 * group is under a hundred or a round hundred ("dois mil e quinhentos", "mil
 * e vinte", but "mil duzentos e trinta"). "cem" but "cento e um"; "mil", "dois
 * mil", "um milhão". Feminine: "uma", "duas", "duzentas". Ordinals up to 1999
 * by parts ("vigésimo primeiro"), feminine in -a.
 */
import type { Gender, NumberForm } from "../romance/types";

const UNDER_20 = [
  "zero",
  "um",
  "dois",
  "três",
  "quatro",
  "cinco",
  "seis",
  "sete",
  "oito",
  "nove",
  "dez",
  "onze",
  "doze",
  "treze",
  "catorze",
  "quinze",
  "dezesseis",
  "dezessete",
  "dezoito",
  "dezenove",
];
const TENS = [
  "",
  "",
  "vinte",
  "trinta",
  "quarenta",
  "cinquenta",
  "sessenta",
  "setenta",
  "oitenta",
  "noventa",
];
const HUNDREDS = [
  "",
  "cento",
  "duzentos",
  "trezentos",
  "quatrocentos",
  "quinhentos",
  "seiscentos",
  "setecentos",
  "oitocentos",
  "novecentos",
];
/** Scales of three digits: mil, milhão, bilhão, trilhão, quatrilhão, quintilhão. */
const SCALES: Array<[string, string]> = [
  ["", ""],
  ["mil", "mil"],
  ["milhão", "milhões"],
  ["bilhão", "bilhões"],
  ["trilhão", "trilhões"],
  ["quatrilhão", "quatrilhões"],
];

function feminine(word: string): string {
  if (word === "um") return "uma";
  if (word === "dois") return "duas";
  return word.replace(/entos$/, "entas");
}

/** 0 < n < 1000: "cem", "cento e um", "duzentos e trinta e quatro". */
function under1000(n: number, fem: boolean): string[] {
  if (n === 100) return ["cem"];
  const parts: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h) parts.push(HUNDREDS[h]!);
  if (r >= 20) {
    parts.push(TENS[Math.floor(r / 10)]!);
    if (r % 10) parts.push(UNDER_20[r % 10]!);
  } else if (r) parts.push(UNDER_20[r]!);
  const out: string[] = [];
  parts.forEach((p, k) => {
    if (k) out.push("e");
    out.push(fem ? feminine(p) : p);
  });
  return out;
}

/** A cardinal from its digits (up to 18). */
export function cardinal(digits: string, form: NumberForm = "m"): string[] {
  if (/^0+$/.test(digits)) return ["zero"];
  const fem = form === "f";
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3)
    groups.unshift(Number(digits.slice(Math.max(0, end - 3), end)));
  const said: Array<{ g: number; words: string[] }> = [];
  groups.forEach((g, i) => {
    const scale = groups.length - 1 - i;
    if (!g) return;
    if (scale === 0) said.push({ g, words: under1000(g, fem) });
    else if (scale === 1) said.push({ g, words: g === 1 ? ["mil"] : [...under1000(g, fem), "mil"] });
    else
      said.push({
        g,
        words: g === 1 ? ["um", SCALES[scale]![0]] : [...under1000(g, false), SCALES[scale]![1]],
      });
  });
  const out: string[] = [];
  said.forEach(({ g, words }, k) => {
    if (k && k === said.length - 1 && (g < 100 || g % 100 === 0)) out.push("e");
    out.push(...words);
  });
  return out;
}

const ORD_UNITS = [
  "",
  "primeiro",
  "segundo",
  "terceiro",
  "quarto",
  "quinto",
  "sexto",
  "sétimo",
  "oitavo",
  "nono",
];
const ORD_TENS = [
  "",
  "décimo",
  "vigésimo",
  "trigésimo",
  "quadragésimo",
  "quinquagésimo",
  "sexagésimo",
  "septuagésimo",
  "octogésimo",
  "nonagésimo",
];
const ORD_HUNDREDS = [
  "",
  "centésimo",
  "ducentésimo",
  "trecentésimo",
  "quadringentésimo",
  "quingentésimo",
  "sexcentésimo",
  "septingentésimo",
  "octingentésimo",
  "noningentésimo",
];

/** 1º primeiro, 1ª primeira, 21º vigésimo primeiro; undefined past 1999. */
export function ordinal(n: number, gender: Gender): string[] | undefined {
  if (n < 1 || n > 1999) return undefined;
  const out: string[] = [];
  if (n >= 1000) out.push("milésimo");
  const h = Math.floor((n % 1000) / 100);
  if (h) out.push(ORD_HUNDREDS[h]!);
  const r = n % 100;
  if (r >= 10) out.push(ORD_TENS[Math.floor(r / 10)]!);
  if (r % 10) out.push(ORD_UNITS[r % 10]!);
  return gender === "f" ? out.map((w) => w.replace(/o$/, "a")) : out;
}
