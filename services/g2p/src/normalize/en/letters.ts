/**
 * Groups of letters that are not plain words: spelled out ("PhD"), acronyms
 * ("NASA" said as a word, "FBI" letter by letter) and run-together names
 * ("MondayMotivation").
 *
 * An all-caps word is said as a word when a lexicon says so (misaki lists
 * many acronyms with a word's pronunciation), when a small list says so, or
 * when it has four letters or more and reads like an English word (vowels
 * where English has them, consonant clusters English allows at the start,
 * middle and end: "IKEA", "NIST", "FEMA"); otherwise letter by letter.
 */
import type { Context } from "../context";
import { cardinal, digitByDigit } from "./number-words";
import { own } from "../../own";

/** Letter by letter: "PhD" -> P H D. */
export function spell(w: string): string[] {
  return [...w].filter((ch) => /\p{L}/u.test(ch)).map((ch) => ch.toUpperCase());
}

/** Said as words although no rule would guess it (three letters, or English spelling misleads). */
const READINGS: Record<string, string[]> = {
  GIF: ["gif"],
  PIN: ["pin"],
  SIM: ["sim"],
  RAM: ["ram"],
  ROM: ["rom"],
  LAN: ["lan"],
  WAN: ["wan"],
  ZIP: ["zip"],
  JSON: ["jason"],
  NOAA: ["noah"],
  GAAP: ["gap"],
  HIPAA: ["hippa"],
  SCSI: ["scuzzy"],
  GUI: ["gooey"],
  IEEE: ["I", "triple", "E"],
  AAA: ["triple", "A"],
  NCAA: ["N", "C", "double", "A"],
};

/** Look like words but are said letter by letter. */
const SAID_AS_LETTERS = new Set(["UCLA", "USAF", "USDA", "NYSE", "ACLU", "OSCE", "EMEA", "IEP"]);

/** An all-caps word (with an optional plural "s" or "'s"): as a word or letter by letter. */
export function acronym(ctx: Context, w: string): string[] {
  let base = w;
  let plural = "";
  const m = /^(\p{Lu}{2,})('?s)$/u.exec(w);
  if (m) {
    base = m[1]!;
    plural = m[2]!;
  }
  const { known } = ctx.opts;
  const asWord = ctx.opts.saidAsWord ?? known;
  if (asWord(w)) return [w];
  if (asWord(base) && !plural) return [base];
  const lower = w.toLowerCase();
  if ((ctx.shouting || base.length >= 5) && known(lower)) return [lower];
  if (ctx.shouting && base.length >= 3 && known(lower)) return [lower];
  if (asWord(base)) return [base + plural];
  const reading = own(READINGS, base);
  if (reading) return withPlural([...reading], plural);
  // the lexicon has it, but not as a word ("WHO", "SAT" as nouns are letters)
  const lettersByLexicon = known(base) && !asWord(base);
  if (!lettersByLexicon && !SAID_AS_LETTERS.has(base) && base.length >= 4 && readsAsWord(base))
    return [lower];
  return withPlural(spell(base), plural);
}

function withPlural(words: string[], plural: string): string[] {
  if (plural) words[words.length - 1] += "'s";
  return words;
}

/** Consonant clusters an English word may start with. */
const ONSETS = new Set(
  "B BL BR C CH CHR CL CR D DR DW F FL FR G GL GN GR H J K KL KN KR L M N P PH PL PR PS Q R S SC SCH SCR SH SHR SK SL SM SN SP SPL SPR SQ ST STR SW T TH THR TR TW V W WH WR X Y Z".split(
    " ",
  ),
);
/** Consonant clusters an English word may end with. */
const CODAS = new Set(
  "B BB C CH CK CT D DD F FF FT G GG GH H K L LB LD LF LK LL LM LP LS LT M MB MP MS N NC ND NG NK NN NS NT P PH PS PT Q R RB RC RD RF RG RK RL RM RN RP RS RT S SH SK SP SS ST T TH TS TT V W X Z ZZ".split(
    " ",
  ),
);
/** Two vowel letters that make one English vowel (or an easy pair). */
const VOWEL_PAIRS = new Set("AI AU AY EA EE EI EU EY IA IE IO OA OE OI OO OU OY UA UE UI".split(" "));

/**
 * Does this capital-letter string read like an English word? Its consonant
 * clusters are ones English words start and end with, at most two stand
 * between vowels, and its vowels come alone or in common pairs.
 */
export function readsAsWord(w: string): boolean {
  const s = w.toUpperCase().replace(/QU/g, "Q");
  if (!/^[A-Z]+$/.test(s)) return false;
  // Y is a vowel except before a vowel at the start ("YOLO")
  const isVowel = (i: number) =>
    "AEIOU".includes(s[i]!) || (s[i] === "Y" && !(i === 0 && "AEIOU".includes(s[1] ?? "")));
  const groups: Array<{ vowel: boolean; text: string }> = [];
  for (let i = 0; i < s.length; i++) {
    const v = isVowel(i);
    const last = groups[groups.length - 1];
    if (last && last.vowel === v) last.text += s[i];
    else groups.push({ vowel: v, text: s[i]! });
  }
  if (!groups.some((g) => g.vowel)) return false;
  return groups.every((g, k) => {
    if (g.vowel) return g.text.length === 1 || (g.text.length === 2 && VOWEL_PAIRS.has(g.text));
    if (k === 0) return ONSETS.has(g.text);
    if (k === groups.length - 1) return CODAS.has(g.text);
    return g.text.length <= 2;
  });
}

/** "MondayMotivation" -> Monday Motivation; "user_name42" -> user name forty-two. */
export function splitName(ctx: Context, s: string): string[] {
  const parts = s
    .replace(/_/g, " ")
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\d)/gu, "$1 $2")
    .replace(/(\d)(\p{L})/gu, "$1 $2")
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) out.push(...(p.length > 4 ? digitByDigit(p) : cardinal(p)));
    else if (/^\p{Lu}+$/u.test(p) && p.length > 1) out.push(...acronym(ctx, p));
    else out.push(p);
  }
  return out;
}
