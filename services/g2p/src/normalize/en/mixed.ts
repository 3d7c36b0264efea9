/**
 * What no other rule reads whole: letters, figures and symbols mixed in one
 * token ("COVID-19's", "mp3", "and/or", "x86"), each part said on its own; and
 * overlong tokens, cut into pieces first.
 */
import type { Context } from "../context";
import { PUNCT } from "../punct";
import { rule } from "../rule";
import { isOverlong, sayInPieces } from "../runs";
import { isSilentChar } from "../scan";
import { codeNumber } from "./codes";
import { cardinal } from "./number-words";
import { LETTERS, NUM } from "./patterns";
import { spell } from "./letters";
import { num } from "./say";
import { BARE_ABBREVIATIONS, SYMBOL_WORDS } from "./tables";
import { isAddress } from "./web";
import { sayLetters } from "./words";

/** A long run of one word (an address up to 200 characters is still said whole). */
export const longRun = rule("long run", (tok, ctx) => {
  const c = tok.text;
  if (!isOverlong(c) || (c.length <= 200 && isAddress(c))) return;
  sayInPieces(c, tok.start, (piece, start) => sayMixed(ctx, piece, start));
  return true;
});

/** The last rule: says anything, part by part. */
export const mixed = rule("mixed", (tok, ctx) => {
  sayMixed(ctx, tok.text, tok.start);
  return true;
});

function sayMixed(ctx: Context, c: string, start: number): void {
  const re = new RegExp(`([${LETTERS}](?:[${LETTERS}'’]|-(?=[${LETTERS}]))*)|(${NUM})|([\\s\\S])`, "gu");
  let m: RegExpExecArray | null;
  let prevKind = "";
  // capitals just before a number in this token ("A380", "I-405", "UA1549"): the number is a code
  let capitals = "";
  while ((m = re.exec(c))) {
    const s = start + m.index;
    const e = s + m[0].length;
    if (m[1] && /^s$/i.test(m[1]) && /['’]$/.test(c.slice(0, m.index)) && prevKind === "s") {
      // "COVID-19's": the possessive goes with the number before it
      const prevWord = ctx.lastWordItem();
      if (prevWord) {
        prevWord.words[prevWord.words.length - 1] += "'s";
        ctx.out.push({ kind: "silent", start: s, end: e });
        prevKind = "w";
        continue;
      }
    }
    if (m[1]) {
      // "mp3", "x86": short vowel-less letters next to digits are spelled
      if (
        m[1].length <= 4 &&
        !/[aeiouy]/i.test(m[1]) &&
        !BARE_ABBREVIATIONS[m[1].toLowerCase()] &&
        /^\p{Script=Latin}+$/u.test(m[1]) &&
        m[1].length > 1
      )
        ctx.word(s, e, spell(m[1]));
      else sayLetters(ctx, m[1], s, e, false);
      prevKind = "w";
      capitals = m[1];
    } else if (m[2]) {
      ctx.word(s, e, codeAfterCapitals(capitals, m[2]) ?? num(ctx, m[2]));
      prevKind = "n";
      capitals = "";
    } else {
      const ch = m[3]!;
      if (ch !== "-") capitals = "";
      const cp = c.codePointAt(m.index)!;
      if (cp > 0xffff && ch.length === 1) {
        // astral character: take both halves
        const full = String.fromCodePoint(cp);
        re.lastIndex = m.index + full.length;
        if (isSilentChar(full)) ctx.out.push({ kind: "silent", start: s, end: s + full.length });
        else ctx.word(s, s + full.length, symbolOrLetter(full));
        continue;
      }
      if (isSilentChar(ch)) ctx.out.push({ kind: "silent", start: s, end: e });
      else if (ch === "#" && /^\d/.test(c.slice(m.index + 1))) ctx.word(s, e, ["number"]);
      else if (ch === "-" || ch === "/" || ch === "'" || ch === "’" || ch === "_") {
        // joins words ("COVID-19", "and/or"): silent, no pause
        if (ch === "-" && prevKind === "" && /^\d/.test(c.slice(m.index + 1))) ctx.word(s, e, ["minus"]);
        else if (ch === "-" && prevKind === "n" && /^\d/.test(c.slice(m.index + 1)))
          ctx.word(s, e, ["to"]); // "#1-5"
        else ctx.out.push({ kind: "silent", start: s, end: e });
      } else if (SYMBOL_WORDS[ch]) ctx.word(s, e, SYMBOL_WORDS[ch]!);
      else if (PUNCT[ch] !== undefined) ctx.punct(s, e, ch);
      else ctx.word(s, e, symbolOrLetter(ch));
      prevKind = "s";
    }
  }
}

/**
 * A number after one to three capitals in one token is a model, a road or a
 * flight: "A380" A three eighty, "I-405" I four oh five, "UA1549" U A fifteen
 * forty-nine. Three digits after two or three capitals keep the cardinal
 * ("BA123": B A one hundred twenty-three).
 */
function codeAfterCapitals(capitals: string, d: string): string[] | undefined {
  if (!/^\p{Lu}{1,3}$/u.test(capitals) || !/^\d{3,}$/.test(d)) return undefined;
  return d.length >= 4 || capitals.length === 1 ? codeNumber(d, true) : undefined;
}

/** A character that is neither a letter run nor punctuation we know: said by name when we can, else silent. */
function symbolOrLetter(ch: string): string[] {
  if (SYMBOL_WORDS[ch]) return SYMBOL_WORDS[ch]!;
  if (/\p{N}/u.test(ch)) {
    const v = Number.parseInt(ch.normalize("NFKC"), 10);
    if (Number.isFinite(v)) return cardinal(String(v));
  }
  return [];
}
