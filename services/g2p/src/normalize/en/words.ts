/**
 * Tokens made of letters: abbreviations ("Dr.", "St." saint or street),
 * initialisms ("U.S."), Roman numerals ("Henry VIII", "Chapter IV"), acronyms
 * ("NASA", "FBI"), mixed-case short forms ("PhD") and plain words. Also where
 * a period belongs to the word before it.
 */
import type { Context } from "../context";
import { matchRule, rule, type WordPeriod } from "../rule";
import { monthDay } from "./dates";
import { cardinal, ordinal, romanValue } from "./number-words";
import { LETTERS } from "./patterns";
import { acronym, spell, splitName } from "./letters";
import { ABBREVIATIONS, BARE_ABBREVIATIONS, HEADING_WORDS, MONTH_ABBR, MONTHS, REGNAL_NAMES } from "./tables";
import { own } from "../../own";

const RE_WORD = new RegExp(
  `^[${LETTERS}](?:[${LETTERS}'’\\u00AD\\u200B-\\u200D\\u2060]|-(?=[${LETTERS}]))*$`,
  "u",
);
const RE_INITIALISM = /^(?:\p{L}\.){2,}$/u;
const RE_INITIALISM_POSSESSIVE = /^((?:\p{L}\.){2,})['’]s$/u;
/** British style without the period: "Ms Jones", "St Paul's", "Prof Smith". */
const BARE_TITLES: Record<string, string[]> = {
  Ms: ["miz"],
  St: ["saint"],
  Prof: ["professor"],
  Revd: ["reverend"],
  Capt: ["captain"],
  Sgt: ["sergeant"],
};

/** "U.S.'s": U S's. */
export const initialismPossessive = matchRule("initialism possessive", RE_INITIALISM_POSSESSIVE, (m) => {
  const letters = spell(m[1]!);
  letters[letters.length - 1] += "'s";
  return letters;
});

/** "Dr.", "etc.", "No. 5", "St." (saint or street), "Dec. 5". */
export const abbreviation = rule("abbreviation", (tok, ctx) => {
  const { text: c, start, end, canLook } = tok;
  const lower = c.toLowerCase();
  const abbr = own(ABBREVIATIONS, lower);
  if (!abbr) return;
  const next = canLook || c.endsWith(".") ? ctx.peekRun() : undefined;
  if ((lower === "no." || lower === "nos.") && (!next || !/^#?\d/.test(next.text))) return ["no"];
  if (lower === "st.") {
    const prevText = ctx.prevText();
    const street =
      ctx.prevWordItem() !== undefined &&
      !ctx.atSentenceStart() &&
      !ctx.lineBreakBefore(start) &&
      (/^\p{Lu}/u.test(prevText) || /^\d/.test(prevText)) &&
      !(next && /^\p{Lu}/u.test(next.text) && !/^\p{Lu}/u.test(prevText));
    if (
      street &&
      c.endsWith(".") &&
      (!next || /^["“(]?\p{Lu}/u.test(next.text)) &&
      !isName(ctx, next?.text)
    ) {
      // "on Main St. Then ...": the period also ends the sentence
      ctx.word(start, end - 1, ["street"]);
      ctx.punct(end - 1, end, ".");
      return true;
    }
    return [street ? "street" : "saint"];
  }
  // "5 min." is read with its number (units.ts); elsewhere "a min." is a minute and "min. order" a minimum
  if (lower === "min.")
    return [["a", "an", "one", "per"].includes(ctx.prevWord() ?? "") ? "minute" : "minimum"];
  if (lower === "dr." && next && !/^\p{Lu}/u.test(next.text)) {
    if (/^\p{Lu}/u.test(ctx.prevText()) && !ctx.atSentenceStart()) return ["drive"];
  }
  const month = MONTH_ABBR[lower.replace(/\.$/, "")];
  if (month && next && monthDay(ctx, month, start, end)) return true;
  return abbr.words;
});

/** "U.S.", "e.g." without an entry: letter by letter. */
export const initialism = rule("initialism", (tok) => RE_INITIALISM.test(tok.text) && spell(tok.text));

export const word = rule("word", (tok, ctx) => {
  if (!RE_WORD.test(tok.text)) return;
  sayLetters(ctx, tok.text, tok.start, tok.end, tok.canLook);
  return true;
});

/** A run of letters: a month before a day, an abbreviation, a Roman numeral, an acronym, or a word. */
export function sayLetters(ctx: Context, w: string, start: number, end: number, canLook: boolean): void {
  const clean = w.replace(/[\u00AD\u200B-\u200D\u2060]/g, "").replace(/’/g, "'");
  if (!clean) return ctx.word(start, end, []);
  const lower = clean.toLowerCase();
  // months followed by a day: "December 5, 2025"
  const mIdx = MONTHS.indexOf(lower);
  if (mIdx >= 0 && canLook && /^\p{Lu}/u.test(clean) && monthDay(ctx, mIdx + 1, start, end)) return;
  if (
    own(MONTH_ABBR, lower) &&
    canLook &&
    /^\p{Lu}\p{Ll}+$/u.test(clean) &&
    monthDay(ctx, own(MONTH_ABBR, lower)!, start, end)
  )
    return;
  if (own(BARE_ABBREVIATIONS, lower) && (lower !== "dr" || /^D/.test(clean)))
    return ctx.word(start, end, own(BARE_ABBREVIATIONS, lower)!);
  if (canLook && own(BARE_TITLES, clean) && /^\p{Lu}/u.test(ctx.peekRun()?.text ?? ""))
    return ctx.word(start, end, own(BARE_TITLES, clean)!);
  if (/^[IVXLCDM]+$/.test(clean)) {
    const r = roman(ctx, clean);
    if (r) return ctx.word(start, end, r);
  }
  if (/^\p{Lu}{2,}$/u.test(clean) || /^\p{Lu}{2,}'?s$/u.test(clean))
    return ctx.word(start, end, acronym(ctx, clean));
  // mixed case short forms: PhD, MSc, iOS (not in the lexicon)
  if (/^\p{L}*\p{Lu}\p{L}*\p{Lu}\p{L}*$/u.test(clean) && !ctx.opts.known(clean))
    return ctx.word(start, end, clean.length <= 4 ? spell(clean) : splitName(ctx, clean));
  ctx.word(start, end, [clean]);
}

/** "Henry VIII" the eighth, "Chapter IV" four, "Rocky III" three; undefined when it is not a numeral here ("I"). */
function roman(ctx: Context, w: string): string[] | undefined {
  const v = romanValue(w);
  if (!v) return undefined;
  const prevText = ctx.prevText();
  const prevLower = prevText.toLowerCase().replace(/\.$/, "");
  if (HEADING_WORDS.has(prevLower)) return cardinal(String(v));
  if (REGNAL_NAMES.has(prevText)) return ["the", ...ordinal(String(v))];
  if (w.length >= 2 && /^\p{Lu}\p{Ll}+$/u.test(prevText) && !ctx.opts.known(w)) {
    // a name ("Ramesses II") reads as a regnal number; a title ("Super Bowl LVII", "Rocky III") as a plain one
    return ctx.opts.known(prevText.toLowerCase()) ? cardinal(String(v)) : ["the", ...ordinal(String(v))];
  }
  return undefined;
}

/** Heuristic: a capitalised word that is not a common sentence opener. */
function isName(ctx: Context, text: string | undefined): boolean {
  if (!text) return false;
  const w = text.replace(/[^\p{L}]/gu, "");
  return /^\p{Lu}\p{Ll}+$/u.test(w) && !ctx.opts.known(w.toLowerCase());
}

/** Does the period of "Dr.", "U.S.", "etc.", "J." belong to the word, and does it end the sentence too? */
export function englishWordPeriod(withDot: string, ctx: Context, laterEnd: boolean): WordPeriod | undefined {
  const key = withDot.toLowerCase();
  let abbr = own(ABBREVIATIONS, key);
  // "No." before a number is "number"; elsewhere it is the word "no" and its period ends the sentence
  if ((key === "no." || key === "nos.") && !/^#?\d/.test(ctx.peekRun()?.text ?? "")) abbr = undefined;
  const initialism = RE_INITIALISM.test(withDot);
  // a single capital with a period before a capital ("J. Smith"): an initial, not a sentence end
  const initial = /^\p{Lu}$/u.test(withDot.slice(0, -1)) && /^\p{Lu}/u.test(ctx.peekRun()?.text ?? "");
  if (!abbr && !initialism && !initial) return undefined;
  if (laterEnd) return { endsSentence: false };
  // does the sentence end here too? ("... etc. Then", "in the U.S. The")
  const next = ctx.peekRun();
  const nextCap = next ? /^["“(]?\p{Lu}/u.test(next.text) : true;
  if (abbr?.end && nextCap) return { endsSentence: true };
  if (!abbr && initialism && (!next || (nextCap && !/^\p{Lu}\.?$/u.test(next.text))))
    return { endsSentence: true };
  return { endsSentence: !!abbr && !abbr.title && !next };
}
