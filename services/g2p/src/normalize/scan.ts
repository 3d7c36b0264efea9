/**
 * First pass over the input: markup (`[pause:1s]`, `[word](/phonemes/)`),
 * whitespace (paragraph breaks become pauses), and runs of non-space text, each
 * with its span (a Chinese or Japanese full-width mark is a run of its own). Emoji, control characters and lone surrogates become silent
 * spans so nothing downstream has to think about them.
 */
export type Piece =
  | { kind: "run"; start: number; end: number; text: string }
  | { kind: "pause"; start: number; end: number; seconds: number }
  | { kind: "forced"; start: number; end: number; text: string; phonemes: string }
  | { kind: "silent"; start: number; end: number };

const MARKUP =
  /\[pause:\s*(\d{1,3}(?:\.\d+)?)\s*(ms|s)?\s*\]|\[([^\[\]\n]{1,200})\]\(\/([^\/\n]{0,300})\/\)/gy;
/** Characters that are never spoken and never split a word. */
const SILENT =
  /[\p{Extended_Pictographic}\p{Cc}\p{Cf}\p{Co}\p{Cn}\u{FE00}-\u{FE0F}\u{1F3FB}-\u{1F3FF}\u20E3\u{E0020}-\u{E007F}]/u;
export const PARAGRAPH_PAUSE_S = 0.6;
export const MAX_PAUSE_S = 10;

export function isSilentChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return true; // lone surrogate
  return SILENT.test(ch);
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** Full-width marks of Chinese and Japanese text: no space comes around them, so each ends the run before it and is a run of its own. */
const FULL_WIDTH_MARK = /[。、，！？；：「」『』《》〈〉（）【】・～〜]/;

/** Scans `text[from, to)` (spans stay offsets into the whole text). */
export function scan(text: string, from = 0, to = text.length): Piece[] {
  const out: Piece[] = [];
  let i = from;
  let runStart = -1;
  const closeRun = (end: number) => {
    if (runStart >= 0 && end > runStart)
      out.push({ kind: "run", start: runStart, end, text: text.slice(runStart, end) });
    runStart = -1;
  };
  while (i < to) {
    const ch = text[i]!;
    if (ch === "[") {
      MARKUP.lastIndex = i;
      const m = MARKUP.exec(text);
      if (m && i + m[0].length <= to) {
        closeRun(i);
        const end = i + m[0].length;
        if (m[1] !== undefined) {
          const v = Number(m[1]) / (m[2] === "ms" ? 1000 : 1);
          out.push({ kind: "pause", start: i, end, seconds: Math.min(MAX_PAUSE_S, v) });
        } else {
          out.push({ kind: "forced", start: i, end, text: m[3]!, phonemes: m[4]! });
        }
        i = end;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const s = text.slice(i, i + w);
    if (isSpace(s)) {
      closeRun(i);
      let j = i;
      let newlines = 0;
      while (j < to && isSpace(text[j]!)) {
        if (text[j] === "\n") newlines++;
        j++;
      }
      // a paragraph break between words (not at the very end of the text)
      if (newlines >= 2 && (out.length || from > 0) && j < text.length)
        out.push({ kind: "pause", start: i, end: i, seconds: PARAGRAPH_PAUSE_S });
      i = j;
      continue;
    }
    if (FULL_WIDTH_MARK.test(s)) {
      closeRun(i);
      out.push({ kind: "run", start: i, end: i + w, text: s });
      i += w;
      continue;
    }
    if (isSilentChar(s)) {
      // a silent character inside a word (ZWJ, soft hyphen) does not split it
      const inWord =
        runStart >= 0 &&
        i + w < text.length &&
        !isSpace(text[i + w]!) &&
        /[\p{L}\p{N}]/u.test(text[i - 1] ?? "") &&
        /[\p{L}\p{N}]/u.test(text[i + w] ?? "") &&
        /[\u00AD\u200B-\u200D\u2060]/.test(s);
      if (!inWord) {
        closeRun(i);
        const last = out[out.length - 1];
        if (last?.kind === "silent" && last.end === i) last.end = i + w;
        else out.push({ kind: "silent", start: i, end: i + w });
        i += w;
        continue;
      }
    }
    if (runStart < 0) runStart = i;
    i += w;
  }
  closeRun(to);
  return out;
}
