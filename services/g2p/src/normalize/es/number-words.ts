/**
 * Spanish numbers as words. Cardinals on the long scale (millón 10^6, billón
 * 10^12, trillón 10^18): "veintiuno" standalone, "veintiún" before a noun or
 * "mil", "veintiuna" feminine; "cien" but "ciento uno"; "mil", "dos mil", "un
 * millón", "mil millones". Ordinals up to 1999 ("vigésimo primero"), with
 * "primer", "tercer" for "1er", "3er".
 */
import type { Gender, NumberForm } from "../romance/types";

const UNDER_30 = [
  "cero",
  "uno",
  "dos",
  "tres",
  "cuatro",
  "cinco",
  "seis",
  "siete",
  "ocho",
  "nueve",
  "diez",
  "once",
  "doce",
  "trece",
  "catorce",
  "quince",
  "dieciséis",
  "diecisiete",
  "dieciocho",
  "diecinueve",
  "veinte",
  "veintiuno",
  "veintidós",
  "veintitrés",
  "veinticuatro",
  "veinticinco",
  "veintiséis",
  "veintisiete",
  "veintiocho",
  "veintinueve",
];
const TENS = [
  "",
  "",
  "veinte",
  "treinta",
  "cuarenta",
  "cincuenta",
  "sesenta",
  "setenta",
  "ochenta",
  "noventa",
];
const HUNDREDS = [
  "",
  "ciento",
  "doscientos",
  "trescientos",
  "cuatrocientos",
  "quinientos",
  "seiscientos",
  "setecientos",
  "ochocientos",
  "novecientos",
];
/** Scales of six digits: 10^6, 10^12, 10^18. */
const SCALES: Array<[string, string]> = [
  ["", ""],
  ["millón", "millones"],
  ["billón", "billones"],
  ["trillón", "trillones"],
];

/** "uno" as `form` asks: "uno", "una", "un"; "veintiuno" -> "veintiuna", "veintiún". */
function formOfOne(word: string, form: NumberForm): string {
  if (word === "uno") return form === "f" ? "una" : form === "before-noun" ? "un" : "uno";
  if (word === "veintiuno")
    return form === "f" ? "veintiuna" : form === "before-noun" ? "veintiún" : "veintiuno";
  return word;
}

function under100(n: number, form: NumberForm): string[] {
  if (n < 30) return [formOfOne(UNDER_30[n]!, form)];
  const o = n % 10;
  const tens = TENS[Math.floor(n / 10)]!;
  return o ? [tens, "y", formOfOne(UNDER_30[o]!, form)] : [tens];
}

function under1000(n: number, form: NumberForm): string[] {
  if (n === 100) return ["cien"];
  const h = Math.floor(n / 100);
  const r = n % 100;
  const out: string[] = [];
  if (h) out.push(form === "f" ? HUNDREDS[h]!.replace(/ientos$/, "ientas") : HUNDREDS[h]!);
  if (r) out.push(...under100(r, form));
  return out;
}

/** 0 < n < 10^6: "mil", "veintiún mil", "doscientas mil" (feminine). */
function underMillion(n: number, form: NumberForm): string[] {
  const th = Math.floor(n / 1000);
  const r = n % 1000;
  const out: string[] = [];
  if (th === 1) out.push("mil");
  else if (th) out.push(...under1000(th, form === "f" ? "f" : "before-noun"), "mil");
  if (r) out.push(...under1000(r, form));
  return out;
}

/** A cardinal from its digits (up to 18, no leading zeros but "0"). */
export function cardinal(digits: string, form: NumberForm = "m"): string[] {
  if (/^0+$/.test(digits)) return ["cero"];
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 6)
    groups.unshift(Number(digits.slice(Math.max(0, end - 6), end)));
  const out: string[] = [];
  groups.forEach((g, i) => {
    const scale = groups.length - 1 - i;
    if (!g) return;
    if (scale === 0) out.push(...underMillion(g, form));
    else if (g === 1) out.push("un", SCALES[scale]![0]);
    else out.push(...underMillion(g, "before-noun"), SCALES[scale]![1]);
  });
  return out;
}

const ORD_UNITS = [
  "",
  "primero",
  "segundo",
  "tercero",
  "cuarto",
  "quinto",
  "sexto",
  "séptimo",
  "octavo",
  "noveno",
];
const ORD_TEENS = [
  "décimo",
  "undécimo",
  "duodécimo",
  "decimotercero",
  "decimocuarto",
  "decimoquinto",
  "decimosexto",
  "decimoséptimo",
  "decimoctavo",
  "decimonoveno",
];
const ORD_TENS = [
  "",
  "décimo",
  "vigésimo",
  "trigésimo",
  "cuadragésimo",
  "quincuagésimo",
  "sexagésimo",
  "septuagésimo",
  "octogésimo",
  "nonagésimo",
];
const ORD_HUNDREDS = [
  "",
  "centésimo",
  "ducentésimo",
  "tricentésimo",
  "cuadringentésimo",
  "quingentésimo",
  "sexcentésimo",
  "septingentésimo",
  "octingentésimo",
  "noningentésimo",
];

/** 1º primero, 1ª primera, 1er primer, 21º vigésimo primero; undefined past 1999. */
export function ordinal(n: number, gender: Gender, short: boolean): string[] | undefined {
  if (n < 1 || n > 1999) return undefined;
  const out: string[] = [];
  if (n >= 1000) out.push("milésimo");
  const h = Math.floor((n % 1000) / 100);
  if (h) out.push(ORD_HUNDREDS[h]!);
  const r = n % 100;
  if (r >= 10 && r < 20) out.push(ORD_TEENS[r - 10]!);
  else {
    if (r >= 20) out.push(ORD_TENS[Math.floor(r / 10)]!);
    if (r % 10) out.push(ORD_UNITS[r % 10]!);
  }
  if (gender === "f") return out.map((w) => w.replace(/o$/, "a"));
  if (short) out[out.length - 1] = out[out.length - 1]!.replace(/^(primer|tercer)o$/, "$1");
  return out;
}
