/**
 * What no other French rule reads whole: letters, figures and symbols in one
 * token ("A380", "COVID-19", "et/ou"), each part said on its own; and overlong
 * tokens, cut into pieces first.
 */
import type { Context } from "../context";
import { PUNCT } from "../punct";
import { rule } from "../rule";
import { isOverlong, sayInPieces } from "../runs";
import { isSilentChar } from "../scan";
import { SYMBOLS } from "./abbreviations";
import { cardinal, digitByDigit } from "./number-words";
import { own } from "../../own";

export const longRun = rule("long run", (tok, ctx) => {
  if (!isOverlong(tok.text)) return;
  sayInPieces(tok.text, tok.start, (piece, start) => sayParts(ctx, piece, start));
  return true;
});

/** The last rule: says anything, part by part. */
export const mixed = rule("mixed", (tok, ctx) => {
  sayParts(ctx, tok.text, tok.start);
  return true;
});

function sayParts(ctx: Context, c: string, start: number): void {
  const re = /([\p{L}\p{M}](?:[\p{L}\p{M}'’]|-(?=\p{L}))*)|(\d+)|([\s\S])/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(c))) {
    const s = start + m.index;
    const e = s + m[0].length;
    if (m[1]) ctx.word(s, e, [m[1].replace(/’/g, "'")]);
    else if (m[2])
      ctx.word(s, e, m[2].length > 1 && m[2].startsWith("0") ? digitByDigit(m[2]) : cardinal(m[2]));
    else {
      const ch = m[3]!;
      const cp = c.codePointAt(m.index)!;
      const full = cp > 0xffff ? String.fromCodePoint(cp) : ch;
      re.lastIndex = m.index + full.length;
      const end = s + full.length;
      // "1.2.3.4": point between figures
      if ((ch === "." || ch === ",") && /\d$/.test(c.slice(0, m.index)) && /^\d/.test(c.slice(m.index + 1)))
        ctx.word(s, end, [ch === "." ? "point" : "virgule"]);
      else if (isSilentChar(full) || /[-/'’_]/.test(ch)) ctx.out.push({ kind: "silent", start: s, end });
      else if (own(SYMBOLS, full)) ctx.word(s, end, own(SYMBOLS, full)!);
      else if (PUNCT[full] !== undefined) ctx.punct(s, end, full);
      else ctx.word(s, end, []);
    }
  }
}
