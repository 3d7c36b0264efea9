/**
 * Tokens made of letters: abbreviations ("M.", "Mme", "etc.", "p. ex."),
 * Roman numerals ("XXIe siècle" vingt et unième, "Louis XIV" quatorze,
 * "François Ier" premier) and plain words. Elided words stay one spoken word
 * with their apostrophe ("l'homme", "aujourd'hui", "qu'il"; ’ is written ').
 * Also where a period belongs to the word before it.
 */
import type { Context } from "../context";
import { matchRule, rule, type WordPeriod } from "../rule";
import { ABBREVIATIONS, TITLES, type Abbreviation } from "./abbreviations";
import { cardinal, ordinal, romanValue } from "./number-words";
import { own } from "../../own";

const LETTERS = "\\p{L}\\p{M}";
const RE_WORD = new RegExp(
  `^[${LETTERS}](?:[${LETTERS}'’\\u00AD\\u200B-\\u200D\\u2060]|-(?=[${LETTERS}]))*$`,
  "u",
);
const RE_ROMAN_ORDINAL = /^([IVXLCDM]+)(er|re|e|ème|è)$/;
const RE_INITIAL = /^\p{Lu}\.$/u;

/** The entry for a written abbreviation, titles as written, others lowercased. */
export function abbreviationOf(text: string): Abbreviation | undefined {
  return own(TITLES, text) ?? own(ABBREVIATIONS, text.toLowerCase());
}

function startsUpper(text: string | undefined): boolean {
  return /^["“«(]?\p{Lu}/u.test(text ?? "");
}

/** "M.", "Mme", "etc.", "p. ex.", "av. J.-C.", "n°". */
export const abbreviation = rule("abbreviation", (tok, ctx) => {
  const abbr = abbreviationOf(tok.text);
  if (!abbr) return;
  const next = ctx.next();
  // a title without its period ("Mme", "Dr", "Me") is one only before a name
  if (abbr.title && !tok.text.endsWith(".") && !(tok.canLook && startsUpper(next?.text))) return;
  const lower = tok.text.toLowerCase();
  if (lower === "p." && next && /^ex\.?$/.test(next.core + (next.trailing.startsWith(".") ? "." : ""))) {
    const used = next.core.length + (next.core.endsWith(".") ? 0 : 1);
    ctx.word(tok.start, tok.end, ["par"]);
    ctx.take(next, ["exemple"], Math.min(used, next.text.length));
    return true;
  }
  if (lower === "av." && next && /^J\.-C\.?$/.test(next.core + next.trailing.slice(0, 1))) return ["avant"];
  return abbr.words;
});

/** Nouns a one-letter Roman ordinal goes with ("Ve siècle"; alone "Le", "Ce", "Me" are words). */
const ORDINAL_NOUNS =
  /^(siècles?|arrondissements?|république|millénaire|dynastie|législature|régiment|congrès|concile)$/i;

/** "XXIe siècle": vingt et unième; "Ier" premier; "Ve siècle" cinquième. */
export const romanOrdinal = matchRule("roman ordinal", RE_ROMAN_ORDINAL, (m, tok, ctx) => {
  const v = romanValue(m[1]!);
  if (!v) return;
  const oneLetter = m[1]!.length === 1 && !(m[1] === "I" && /^(er|re)$/.test(m[2]!));
  if (oneLetter && !(tok.canLook && ORDINAL_NOUNS.test(ctx.next()?.core ?? ""))) return;
  return ordinal(String(v), m[2] === "re");
});

export const word = rule("word", (tok, ctx) => {
  if (!RE_WORD.test(tok.text)) return;
  const clean = tok.text.replace(/[\u00AD\u200B-\u200D\u2060]/g, "").replace(/’/g, "'");
  if (!clean) return [];
  // "Louis XIV", "Henri IV": kings and popes take the cardinal in French
  if (/^[IVXLCDM]{2,}$/.test(clean) && /^\p{Lu}\p{Ll}+$/u.test(ctx.prevText()) && !ctx.atSentenceStart()) {
    const v = romanValue(clean);
    if (v) return cardinal(String(v));
  }
  return [clean];
});

/** Does the period of "M.", "etc.", "J." belong to the word, and does it also end the sentence? */
export function frenchWordPeriod(withDot: string, ctx: Context, laterEnd: boolean): WordPeriod | undefined {
  const abbr = abbreviationOf(withDot);
  const next = ctx.peekRun();
  const lower = withDot.toLowerCase();
  if (lower === "p." && !/^(\d|ex\b)/.test(next?.text ?? "")) return undefined;
  if (lower === "ex." && ctx.prevText().toLowerCase() !== "p.") return undefined;
  const initial = RE_INITIAL.test(withDot) && startsUpper(next?.text);
  if (!abbr && !initial) return undefined;
  if (laterEnd) return { endsSentence: false };
  if (!next) return { endsSentence: true };
  if (abbr?.end) return { endsSentence: startsUpper(next.text) };
  return { endsSentence: false };
}
