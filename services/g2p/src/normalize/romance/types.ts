/**
 * What a Romance language (es, it, pt-br) gives the shared Romance rules: how
 * it says numbers, dates, times and money, and its tables of words. The rules
 * in this folder know how figures are written in these locales (decimal comma,
 * "1.000" or "1 000" thousands); the language's folder knows how they are said.
 */

/** The form of a number: standalone masculine ("uno"), feminine ("una"), before a noun ("un"). */
export type NumberForm = "m" | "f" | "before-noun";
export type Gender = "m" | "f";

export interface Currency {
  one: string;
  many: string;
  /** The hundredth ("céntimo", "centesimo", "centavo"). */
  subOne: string;
  subMany: string;
  /** Feminine noun ("libra", "sterlina"): "una libra", "duas libras". */
  feminine?: boolean;
}

/** An abbreviation written with its period(s). `end`: may also end a sentence ("etc."); `title`: comes before a name. */
export interface Abbreviation {
  words: string[];
  end?: boolean;
  title?: boolean;
  /** Only before a figure ("n. 5"); elsewhere the period is the sentence's. */
  beforeFigure?: boolean;
}

export interface RomanceLanguage {
  /** A cardinal from its digits (at most MAX_CARDINAL_DIGITS, no leading zeros). */
  cardinal(digits: string, form?: NumberForm): string[];
  /** An ordinal (1º, 1ª, 3er): undefined when the language has no word for it here. */
  ordinal(n: number, gender: Gender, short: boolean): string[] | undefined;
  /** What follows the digits of an ordinal ("º", "ª", "er", "o", "a"): its gender and whether it is the short form. */
  ordinalMark(mark: string): { gender: Gender; short: boolean } | undefined;
  /** "coma", "virgola", "vírgula". */
  decimalWord: string;
  /** The period between figures of a version or an address: "punto", "ponto". */
  pointWord: string;
  minusWord: string;
  plusWord: string;
  percentWords: string[];
  degreeWords: { one: string[]; many: string[] };
  /** Between the ends of a range "10-20". */
  rangeWord: string;
  months: readonly string[];
  /** A numeric date as said (day, month 1-12, full year). */
  date(day: number, month: number, year: number): string[];
  /** The first of the month before a month's name ("primo", "primeiro"); undefined when "1" is said as a cardinal. */
  firstOfMonth?: string;
  /** Whether a month name may be preceded by this word before it, after the day ("de" in "1 de maio"). */
  monthLink?: string;
  /** A clock time as said. */
  time(hour: number, minute: number, second: number | undefined): string[];
  /** "14h30" is a time in this locale. */
  hourLetterTimes?: boolean;
  /** Currency symbols and codes ("€", "R$", "USD"). */
  currencies: Readonly<Record<string, Currency>>;
  /** Joins the whole units and the cents: "con", "e". */
  centsJoin: string;
  /** Before the currency after a round scale word: "un millón de euros". */
  scaleOf: string;
  /** Number words after which "de"/"di" comes before a noun ("millón", "milioni"). */
  scaleNouns: ReadonlySet<string>;
  abbreviations: Readonly<Record<string, Abbreviation>>;
  /** Abbreviations written as two runs: "p. ej.", "a. C." (first run, then the second, lowercase, each with its period). */
  pairs: Readonly<Record<string, Readonly<Record<string, Abbreviation>>>>;
  /** Words said differently from their spelling, without periods ("EEUU"). */
  bareWords: Readonly<Record<string, string[]>>;
  /** Letter names, for initialisms spelled letter by letter (lowercase letter -> words). */
  letters: Readonly<Record<string, string>>;
  /** Capitals said as a word although the spelling rule would spell them ("PSOE"). */
  acronymWords: ReadonlySet<string>;
  /** A Roman numeral of two letters or more ("siglo XXI", "Luigi XIV"), from its value. */
  roman(n: number): string[];
  /** Symbols said as words when they stand alone or between words. */
  symbols: Readonly<Record<string, string[]>>;
  /** A trailing apostrophe that belongs to the word (Italian "po'"). */
  keepsTrailingApostrophe(word: string): boolean;
}
