/**
 * French abbreviations and units. Keys are as written: titles are matched
 * with their capital ("M." monsieur, "Mme" madame), the others lowercased.
 * `end`: the abbreviation may also end the sentence ("etc."); `title`: a name
 * follows, so its period never ends the sentence ("M. Dupont").
 */

export interface Abbreviation {
  words: string[];
  end?: boolean;
  title?: boolean;
}

/** Titles, matched as written. */
export const TITLES: Record<string, Abbreviation> = {
  "M.": { words: ["monsieur"], title: true },
  "MM.": { words: ["messieurs"], title: true },
  Mme: { words: ["madame"], title: true },
  "Mme.": { words: ["madame"], title: true },
  Mmes: { words: ["mesdames"], title: true },
  Mlle: { words: ["mademoiselle"], title: true },
  "Mlle.": { words: ["mademoiselle"], title: true },
  Mlles: { words: ["mesdemoiselles"], title: true },
  Dr: { words: ["docteur"], title: true },
  "Dr.": { words: ["docteur"], title: true },
  Pr: { words: ["professeur"], title: true },
  "Pr.": { words: ["professeur"], title: true },
  Mgr: { words: ["monseigneur"], title: true },
  Me: { words: ["maître"], title: true },
  St: { words: ["saint"], title: true },
  Ste: { words: ["sainte"], title: true },
  "J.-C.": { words: ["Jésus-Christ"], end: true },
};

/** Other abbreviations, matched lowercased. */
export const ABBREVIATIONS: Record<string, Abbreviation> = {
  "etc.": { words: ["et", "cetera"], end: true },
  "p.ex.": { words: ["par", "exemple"] },
  "ex.": { words: ["exemple"] },
  "n°": { words: ["numéro"] },
  nº: { words: ["numéro"] },
  "no.": { words: ["numéro"] },
  "av.": { words: ["avenue"] },
  bd: { words: ["boulevard"] },
  "bd.": { words: ["boulevard"] },
  "boul.": { words: ["boulevard"] },
  "cf.": { words: ["confer"] },
  "c.-à-d.": { words: ["c'est-à-dire"] },
  càd: { words: ["c'est-à-dire"] },
  "env.": { words: ["environ"] },
  "tél.": { words: ["téléphone"] },
  "vol.": { words: ["volume"] },
  "chap.": { words: ["chapitre"] },
  "éd.": { words: ["édition"] },
  "p.": { words: ["page"] },
  "pp.": { words: ["pages"] },
  "hab.": { words: ["habitants"], end: true },
  "janv.": { words: ["janvier"] },
  "févr.": { words: ["février"] },
  "avr.": { words: ["avril"] },
  "juil.": { words: ["juillet"] },
  "sept.": { words: ["septembre"] },
  "oct.": { words: ["octobre"] },
  "nov.": { words: ["novembre"] },
  "déc.": { words: ["décembre"] },
  "min.": { words: ["minimum"], end: true },
  "max.": { words: ["maximum"], end: true },
  cie: { words: ["compagnie"] },
  "cie.": { words: ["compagnie"], end: true },
};

/** Units after a number: singular, plural, feminine ("une minute"). */
export const UNITS: Record<string, { one: string[]; many: string[]; fem?: boolean }> = {
  km: { one: ["kilomètre"], many: ["kilomètres"] },
  "km/h": { one: ["kilomètre", "heure"], many: ["kilomètres", "heure"] },
  m: { one: ["mètre"], many: ["mètres"] },
  cm: { one: ["centimètre"], many: ["centimètres"] },
  mm: { one: ["millimètre"], many: ["millimètres"] },
  kg: { one: ["kilo"], many: ["kilos"] },
  g: { one: ["gramme"], many: ["grammes"] },
  l: { one: ["litre"], many: ["litres"] },
  L: { one: ["litre"], many: ["litres"] },
  ml: { one: ["millilitre"], many: ["millilitres"] },
  min: { one: ["minute"], many: ["minutes"], fem: true },
  "°C": { one: ["degré", "Celsius"], many: ["degrés", "Celsius"] },
  "°": { one: ["degré"], many: ["degrés"] },
};

/** Symbols said as words inside a token. */
export const SYMBOLS: Record<string, string[]> = {
  "&": ["et"],
  "@": ["arobase"],
  "+": ["plus"],
  "=": ["égale"],
  "%": ["pour", "cent"],
  "€": ["euros"],
  $: ["dollars"],
  "£": ["livres"],
  "°": ["degrés"],
  "#": ["dièse"],
  "×": ["fois"],
  "§": ["paragraphe"],
};
