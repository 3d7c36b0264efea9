/** Italian words: abbreviations with their periods, two-run abbreviations, letter names, symbols said as words. */
import type { Abbreviation } from "../romance/types";

export const ABBREVIATIONS: Record<string, Abbreviation> = {
  "sig.": { words: ["signor"], title: true },
  "sig.ra": { words: ["signora"], title: true },
  "sig.na": { words: ["signorina"], title: true },
  "sig.ri": { words: ["signori"], title: true },
  "sigg.": { words: ["signori"], title: true },
  "dott.": { words: ["dottor"], title: true },
  "dott.ssa": { words: ["dottoressa"], title: true },
  "dr.": { words: ["dottor"], title: true },
  "prof.": { words: ["professor"], title: true },
  "prof.ssa": { words: ["professoressa"], title: true },
  "avv.": { words: ["avvocato"], title: true },
  "ing.": { words: ["ingegner"], title: true },
  "arch.": { words: ["architetto"], title: true },
  "geom.": { words: ["geometra"], title: true },
  "on.": { words: ["onorevole"], title: true },
  "egr.": { words: ["egregio"], title: true },
  "gent.": { words: ["gentile"], title: true },
  "gent.mo": { words: ["gentilissimo"], title: true },
  "gent.ma": { words: ["gentilissima"], title: true },
  "spett.": { words: ["spettabile"], title: true },
  "s.": { words: ["san"], title: true },
  "ecc.": { words: ["eccetera"], end: true },
  "etc.": { words: ["eccetera"], end: true },
  "pag.": { words: ["pagina"] },
  "pagg.": { words: ["pagine"] },
  "p.": { words: ["pagina"], beforeFigure: true },
  "ca.": { words: ["circa"] },
  "n.": { words: ["numero"], beforeFigure: true },
  nº: { words: ["numero"] },
  "n°": { words: ["numero"] },
  "tel.": { words: ["telefono"] },
  "cap.": { words: ["capitolo"] },
  "vol.": { words: ["volume"] },
  "es.": { words: ["esempio"] },
  "p.es.": { words: ["per", "esempio"] },
  "c.so": { words: ["corso"] },
  "v.le": { words: ["viale"] },
  "p.za": { words: ["piazza"] },
  "p.zza": { words: ["piazza"] },
  "s.p.a.": { words: ["società", "per", "azioni"], end: true },
  "s.r.l.": { words: ["società", "a", "responsabilità", "limitata"], end: true },
  "a.c.": { words: ["avanti", "Cristo"], end: true },
  "d.c.": { words: ["dopo", "Cristo"], end: true },
  "max.": { words: ["massimo"], end: true },
  "min.": { words: ["minimo"], end: true },
  "tab.": { words: ["tabella"] },
  "fig.": { words: ["figura"] },
  "cfr.": { words: ["confronta"] },
};

export const PAIRS: Record<string, Record<string, Abbreviation>> = {
  "p.": { "es.": { words: ["per", "esempio"] } },
  "a.": { "c.": { words: ["avanti", "Cristo"], end: true } },
  "d.": { "c.": { words: ["dopo", "Cristo"], end: true } },
};

export const BARE_WORDS: Record<string, string[]> = {};

export const LETTERS: Record<string, string> = {
  a: "a",
  b: "bi",
  c: "ci",
  d: "di",
  e: "e",
  f: "effe",
  g: "gi",
  h: "acca",
  i: "i",
  j: "i lunga",
  k: "cappa",
  l: "elle",
  m: "emme",
  n: "enne",
  o: "o",
  p: "pi",
  q: "cu",
  r: "erre",
  s: "esse",
  t: "ti",
  u: "u",
  v: "vu",
  w: "doppia vu",
  x: "ics",
  y: "ipsilon",
  z: "zeta",
  à: "a",
  è: "e",
  é: "e",
  ì: "i",
  ò: "o",
  ù: "u",
};

export const ACRONYM_WORDS = new Set<string>(["INPS", "ISTAT"]);

export const SYMBOLS: Record<string, string[]> = {
  "&": ["e"],
  "+": ["più"],
  "=": ["uguale", "a"],
  "@": ["chiocciola"],
  "#": ["cancelletto"],
  "%": ["per", "cento"],
  "/": ["barra"],
  "°": ["gradi"],
  "€": ["euro"],
  $: ["dollari"],
  "£": ["sterline"],
  "<": ["minore", "di"],
  ">": ["maggiore", "di"],
  "×": ["per"],
  "~": ["circa"],
  "§": ["paragrafo"],
};

/** "po'", "di'", "va'": a trailing apostrophe that is the word's (an elided vowel). */
const APOSTROPHE_WORDS = new Set(["po", "di", "da", "fa", "sta", "va", "mo", "be", "ca"]);
export function keepsTrailingApostrophe(word: string): boolean {
  return APOSTROPHE_WORDS.has(word.toLowerCase());
}
