/**
 * The last rules of a language's table, the same in every language but for its words: what no
 * other rule reads whole (letters, figures and symbols in one token: "A380", "COVID-19", "et/ou"),
 * each part said on its own; and overlong tokens, cut into pieces first.
 */
import type { Context } from "./context";
import { PUNCT } from "./punct";
import { rule, type Rule } from "./rule";
import { isOverlong, sayInPieces } from "./runs";
import { isSilentChar } from "./scan";
import { own } from "../own";

export interface PartWords {
  /** A run of figures as words. */
  cardinal(digits: string): string[];
  /** Figures one by one ("007"). */
  digitByDigit(digits: string): string[];
  /** Symbols said as words ("&", "%", "+"). */
  symbols: Readonly<Record<string, string[]>>;
  /** The words for "." and "," between figures ("1.2.3.4"). */
  point: string;
  comma: string;
}

/** The two rules, `longRun` (first in a table) and `mixed` (last), with a language's words. */
export function partByPartRules(words: PartWords): { longRun: Rule; mixed: Rule } {
  const sayParts = (ctx: Context, c: string, start: number): void => {
    const re = /([\p{L}\p{M}](?:[\p{L}\p{M}'’]|-(?=\p{L}))*)|(\d+)|([\s\S])/gu;
    let m: RegExpExecArray | null;
    while ((m = re.exec(c))) {
      const s = start + m.index;
      const e = s + m[0].length;
      if (m[1]) ctx.word(s, e, [m[1].replace(/’/g, "'")]);
      else if (m[2])
        ctx.word(
          s,
          e,
          m[2].length > 1 && m[2].startsWith("0") ? words.digitByDigit(m[2]) : words.cardinal(m[2]),
        );
      else {
        const ch = m[3]!;
        const cp = c.codePointAt(m.index)!;
        const full = cp > 0xffff ? String.fromCodePoint(cp) : ch;
        re.lastIndex = m.index + full.length;
        const end = s + full.length;
        // "1.2.3.4": a point between figures
        if ((ch === "." || ch === ",") && /\d$/.test(c.slice(0, m.index)) && /^\d/.test(c.slice(m.index + 1)))
          ctx.word(s, end, [ch === "." ? words.point : words.comma]);
        else if (isSilentChar(full) || /[-/'’_]/.test(ch)) ctx.out.push({ kind: "silent", start: s, end });
        else if (own(words.symbols, full)) ctx.word(s, end, own(words.symbols, full)!);
        else if (PUNCT[full] !== undefined) ctx.punct(s, end, full);
        else ctx.word(s, end, []);
      }
    }
  };
  return {
    longRun: rule("long run", (tok, ctx) => {
      if (!isOverlong(tok.text)) return;
      sayInPieces(tok.text, tok.start, (piece, start) => sayParts(ctx, piece, start));
      return true;
    }),
    mixed: rule("mixed", (tok, ctx) => {
      sayParts(ctx, tok.text, tok.start);
      return true;
    }),
  };
}
