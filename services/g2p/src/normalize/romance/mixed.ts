/**
 * What no other rule reads whole, part by part: letters, figures and symbols
 * in one token ("COVID-19", "mp3", "1.2.3.4", "a@b.com"); and overlong
 * tokens, cut into pieces first so any input is bounded work.
 */
import type { Context } from "../context";
import { PUNCT } from "../punct";
import { rule } from "../rule";
import { isOverlong, sayInPieces } from "../runs";
import { isSilentChar } from "../scan";
import { sayInt } from "./figures";
import type { RomanceLanguage } from "./types";
import { sayWord } from "./words";
import { own } from "../../own";

const RE_PART = /([\p{L}\p{M}](?:[\p{L}\p{M}'’]|-(?=[\p{L}\p{M}]))*)|(\d+)|([\s\S])/gu;

function sayMixed(ctx: Context, lang: RomanceLanguage, c: string, start: number): void {
  const re = new RegExp(RE_PART.source, RE_PART.flags);
  let m: RegExpExecArray | null;
  let prev = "";
  while ((m = re.exec(c))) {
    const s = start + m.index;
    const e = s + m[0].length;
    const after = c[m.index + m[0].length] ?? "";
    if (m[1]) {
      sayWord(ctx, lang, m[1], s, e);
      prev = "w";
      continue;
    }
    if (m[2]) {
      ctx.word(s, e, sayInt(lang, m[2]));
      prev = "n";
      continue;
    }
    let ch = m[3]!;
    const cp = c.codePointAt(m.index)!;
    if (cp > 0xffff && ch.length === 1) {
      // an astral character: both halves
      ch = String.fromCodePoint(cp);
      re.lastIndex = m.index + ch.length;
    }
    const end = s + ch.length;
    const between = prev !== "" && /[\p{L}\p{N}]/u.test(after);
    if (isSilentChar(ch)) ctx.word(s, end, []);
    else if ((ch === "." || ch === ",") && prev === "n" && /\d/.test(after))
      ctx.word(s, end, [ch === "." ? lang.pointWord : lang.decimalWord]);
    else if (ch === "." && between) ctx.word(s, end, [lang.pointWord]);
    else if (ch === "-" && prev === "" && /\d/.test(after)) ctx.word(s, end, [lang.minusWord]);
    else if (ch === "-" && prev === "n" && /\d/.test(after)) ctx.word(s, end, [lang.rangeWord]);
    else if (ch === "-" || ch === "/" || ch === "_" || ch === "'" || ch === "’") ctx.word(s, end, []);
    else if (own(lang.symbols, ch)) ctx.word(s, end, own(lang.symbols, ch)!);
    else if (PUNCT[ch] !== undefined) ctx.punct(s, end, ch);
    else if (/\p{N}/u.test(ch) && Number.isFinite(Number.parseInt(ch.normalize("NFKC"), 10)))
      ctx.word(s, end, sayInt(lang, String(Number.parseInt(ch.normalize("NFKC"), 10))));
    else ctx.word(s, end, []);
    prev = "s";
  }
}

export function mixedRules(lang: RomanceLanguage) {
  return {
    /** A token too long to be one word, said in pieces. */
    longRun: rule("long run", (tok, ctx) => {
      if (!isOverlong(tok.text)) return;
      sayInPieces(tok.text, tok.start, (piece, start) => sayMixed(ctx, lang, piece, start));
      return true;
    }),
    /** The last rule: says anything, part by part. */
    mixed: rule("mixed", (tok, ctx) => {
      sayMixed(ctx, lang, tok.text, tok.start);
      return true;
    }),
  };
}
