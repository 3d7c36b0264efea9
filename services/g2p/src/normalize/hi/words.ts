/**
 * Tokens made of letters: abbreviations ("डॉ." डॉक्टर, "Dr." डॉक्टर, "ई.पू."),
 * and words in Devanagari or Latin script ("iPhone" stays a spoken word).
 * Also where a period belongs to the word before it.
 */
import type { Context } from "../context";
import { rule, type WordPeriod } from "../rule";
import { own } from "../../own";
import { ABBREVIATIONS, CURRENCIES, type Abbreviation } from "./tables";

const LETTERS = "\\p{L}\\p{M}";
const RE_WORD = new RegExp(
  `^[${LETTERS}](?:[${LETTERS}'’\\u00AD\\u200B-\\u200D\\u2060]|-(?=[${LETTERS}]))*$`,
  "u",
);
const RE_INITIAL = /^\p{Lu}\.$/u;

export function abbreviationOf(text: string): Abbreviation | undefined {
  return own(ABBREVIATIONS, text) ?? own(ABBREVIATIONS, text.toLowerCase());
}

export const abbreviation = rule("abbreviation", (tok) => abbreviationOf(tok.text)?.words);

export const word = rule("word", (tok) => {
  if (!RE_WORD.test(tok.text)) return;
  const clean = tok.text.replace(/[\u00AD\u200B\u2060]/g, "").replace(/’/g, "'");
  return clean ? [clean] : [];
});

/** Does the period of "डॉ.", "Rs.", "ई.पू." belong to the word, and does it also end the sentence? */
export function hindiWordPeriod(withDot: string, ctx: Context, laterEnd: boolean): WordPeriod | undefined {
  const next = ctx.peekRun();
  // "Rs. 500", "रु. 500": the period is the currency's
  if (own(CURRENCIES, withDot) && /^[\d०-९]/.test(next?.text ?? "")) return { endsSentence: false };
  const abbr = abbreviationOf(withDot);
  const initial = RE_INITIAL.test(withDot) && /^\p{Lu}/u.test(next?.text ?? "");
  if (!abbr && !initial) return undefined;
  if (laterEnd) return { endsSentence: false };
  if (!next) return { endsSentence: true };
  // Devanagari has no capitals: an abbreviation that may end a sentence ends it only before a new line
  if (abbr?.end) return { endsSentence: ctx.text.slice(next.start - 2, next.start).includes("\n") };
  return { endsSentence: false };
}
