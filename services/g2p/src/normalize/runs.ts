/**
 * One run of non-space text: the marks before and after it come off (each
 * said as punctuation with its own span), the language decides whether a final
 * period belongs to the word ("Dr.", "U.S."), and what is left is one token,
 * offered to the language's rules in order.
 */
import type { Context, Run } from "./context";
import { PUNCT } from "./punct";
import type { LanguageNormalizer, Token } from "./rule";

export function readRun(ctx: Context, lang: LanguageNormalizer, r: Run): void {
  const t = r.text;
  const s = leadingMarks(ctx, lang, r);
  // trailing marks
  let e = t.length;
  const trail: Array<[number, number, string]> = [];
  while (e > s) {
    const ch = t[e - 1]!;
    if (ch === "." && e - 3 >= s && t.slice(e - 3, e) === "...") {
      trail.unshift([e - 3, e, "…"]);
      e -= 3;
      continue;
    }
    if (PUNCT[ch] !== undefined && ch !== "-" && ch !== "'" && ch !== "’") {
      trail.unshift([e - 1, e, ch]);
      e--;
      continue;
    }
    if ((ch === "'" || ch === "’") && e - 1 > s && !lang.keepsTrailingApostrophe(t.slice(s, e - 1))) {
      // closing single quote, or plural possessive ("students'"): silent mark
      trail.unshift([e - 1, e, "'"]);
      e--;
      continue;
    }
    if (ch === "-" && e - 1 > s && t[e - 2] === "-") {
      trail.unshift([e - 2, e, "—"]);
      e -= 2;
      continue;
    }
    break;
  }
  // a period that belongs to the word ("Dr.", "U.S.", "etc.")
  let endsSentence = false;
  if (trail.length && trail[0]![2] === ".") {
    const laterEnd = trail.slice(1).some(([, , c]) => PUNCT[c]?.brk === 3);
    const period = lang.wordPeriod(t.slice(s, e + 1), ctx, laterEnd);
    if (period) {
      e++;
      trail.shift();
      endsSentence = period.endsSentence;
    }
  }
  if (e > s) {
    const text = t.slice(s, e);
    sayToken(ctx, lang, {
      text,
      start: r.start + s,
      end: r.start + e,
      canLook: trail.length === 0 && !endsSentence,
      hasDigit: /\d/.test(text),
    });
  }
  if (endsSentence) ctx.sentenceEnd(r.start + e);
  for (const [a, b, ch] of trail) ctx.punct(r.start + a, r.start + b, ch);
}

/** Says the marks at the start of a run; returns where the word starts. */
function leadingMarks(ctx: Context, lang: LanguageNormalizer, r: Run): number {
  const t = r.text;
  let s = 0;
  while (s < t.length) {
    const ch = t[s]!;
    if ((ch === "'" || ch === "’") && lang.leadingApostrophe.test(t.slice(s))) break;
    if (ch === "-" || ch === "−") {
      if (/\d|\.\d|\$|£|€/.test(t[s + 1] ?? "")) break;
    }
    if (ch === "." && /^\.\d/.test(t.slice(s))) break;
    if (PUNCT[ch] !== undefined && ch !== "." && !(ch === "-" && t.length === 1)) {
      ctx.punct(r.start + s, r.start + s + 1, ch, (ch === '"' || ch === "'") && s + 1 < t.length);
      s++;
      continue;
    }
    if (ch === "." || (ch === "-" && s < t.length)) {
      // "...word", "--word", a lone "-" or "."
      let j = s;
      while (j < t.length && t[j] === ch) j++;
      const mark = ch === "." ? (j - s >= 2 ? "…" : ".") : "—";
      ctx.punct(r.start + s, r.start + j, mark);
      s = j;
      continue;
    }
    break;
  }
  return s;
}

/** Offers a token to the language's rules in order; the first that says it wins. */
export function sayToken(ctx: Context, lang: LanguageNormalizer, tok: Token): void {
  for (const r of lang.rules) if ((tok.hasDigit || !r.figures) && r.apply(tok, ctx)) return;
  // no rule for it: covered, silent
  ctx.word(tok.start, tok.end, []);
}

/** Longest piece of a single word we pronounce as one; longer runs are cut (1 MB of one word stays bounded). */
export const MAX_WORD_CHARS = 40;

/** Is this token too long to say as one word? */
export function isOverlong(c: string): boolean {
  return c.length > MAX_WORD_CHARS * 2;
}

/** Cuts an overlong token into pieces of MAX_WORD_CHARS (never inside a surrogate pair) and says each with `say`. */
export function sayInPieces(c: string, start: number, say: (piece: string, start: number) => void): void {
  for (let k = 0; k < c.length; k += MAX_WORD_CHARS) {
    let kEnd = Math.min(c.length, k + MAX_WORD_CHARS);
    if (kEnd < c.length && /[\uD800-\uDBFF]/.test(c[kEnd - 1]!)) kEnd++;
    say(c.slice(k, kEnd), start + k);
    k = kEnd - MAX_WORD_CHARS;
  }
}
