/**
 * The rule that reads a run of Chinese or Japanese text, which has no spaces between its words:
 * Latin-script pieces inside it ("iPhoneを買った", "我用iPhone") go to English's rule table with
 * their spans; the rest has its figures written in characters (figures.ts) and is cut into words by
 * the language's segmenter. A word keeps the span of the input it came from; words written from one
 * figure ("25%" 百分之 二十五) are one item with that figure's span.
 */
import type { Context } from "../context";
import { english } from "../en";
import type { Rule, Token } from "../rule";
import { sayToken } from "../runs";
import { rewriteFigures } from "./figures";
import type { CjkLang } from "./numerals";

/** Characters of Chinese and Japanese words (with the long-vowel mark and the iteration marks). */
export const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆ヶ]/u;
/** A Latin-script piece: a letter, then letters, figures, apostrophes, hyphens and inner periods. */
const LATIN_PIECE = /[A-Za-z\u00C0-\u024F](?:[A-Za-z\u00C0-\u024F0-9'’\-]|\.(?=[A-Za-z0-9]))*/g;

/** Cuts text into word spans (offsets into it); the analyser must be ready (the language's prepare). */
export type Segmenter = (text: string) => Array<[start: number, end: number]>;

/**
 * `figuresAlone`: each figure's characters are one word, and only the text between figures goes to
 * the segmenter (Mandarin's word breaker would glue 了三 or split 三十分; Japanese's analyser reads a
 * figure with its counter, 五日, and gets the whole text).
 */
export function cjkRule(lang: CjkLang, segment: () => Segmenter, figuresAlone = false): Rule {
  return {
    name: `${lang} run`,
    apply(tok: Token, ctx: Context): boolean {
      const hasCjk = CJK_CHAR.test(tok.text);
      // runs of Latin words are English's (its own rules read them, look-ahead and all)
      if (!hasCjk && !(tok.hasDigit && !/[A-Za-z]/.test(tok.text))) return false;
      let last = 0;
      for (const m of tok.text.matchAll(LATIN_PIECE)) {
        readPiece(ctx, tok.text.slice(last, m.index), tok.start + last, lang, segment(), figuresAlone);
        const text = m[0];
        sayToken(ctx, english, {
          text,
          start: tok.start + m.index!,
          end: tok.start + m.index! + text.length,
          canLook: false,
          hasDigit: /\d/.test(text),
        });
        last = m.index! + text.length;
      }
      readPiece(ctx, tok.text.slice(last), tok.start + last, lang, segment(), figuresAlone);
      return true;
    },
  };
}

/** A piece with no Latin letters: figures in characters, then cut into words. */
function readPiece(
  ctx: Context,
  text: string,
  base: number,
  lang: CjkLang,
  segment: Segmenter,
  figuresAlone: boolean,
): void {
  if (!text) return;
  const w = rewriteFigures(text, base, lang);
  const spans = (figuresAlone ? segmentAroundFigures(w.text, w.figure, segment) : segment(w.text)).filter(
    ([a, b]) => b > a,
  );
  let covered = base;
  let group: { start: number; end: number; words: string[] } | undefined;
  const flush = () => {
    if (!group) return;
    ctx.word(group.start, group.end, group.words);
    covered = group.end;
    group = undefined;
  };
  for (const [a, b] of spans) {
    const start = w.from[a]![0];
    const end = Math.max(...w.from.slice(a, b).map((f) => f[1]));
    const word = w.text.slice(a, b);
    if (group && start < group.end) {
      // the same figure: one item
      group.words.push(word);
      group.end = Math.max(group.end, end);
      continue;
    }
    flush();
    if (start > covered) ctx.word(covered, start, []); // marks or symbols the segmenter left out: silent
    group = { start, end, words: [word] };
  }
  flush();
  if (base + text.length > covered) ctx.word(covered, base + text.length, []);
}

/** Each figure's characters as one span; the text between figures cut by the segmenter. */
function segmentAroundFigures(text: string, figure: boolean[], segment: Segmenter): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && figure[j] === figure[i]) j++;
    if (figure[i]) out.push([i, j]);
    else for (const [a, b] of segment(text.slice(i, j))) out.push([i + a, i + b]);
    i = j;
  }
  return out;
}
