/**
 * Incremental segmentation for realtime TTS: text arrives in arbitrary
 * pieces (an LLM's tokens, down to single characters) and a phrase is handed
 * on as soon as it is known, so speech can start before the text is finished.
 *
 * A phrase ends at a sentence end (. ! ? … followed by a space or a line
 * break), at a line break, or at a clause break (, ; : – —) once the phrase
 * has enough words to sound natural. A boundary is only known when the
 * character after it has arrived: "3." may become "3.14", "example." may
 * become "example.com", so nothing is cut until a space follows. A period
 * after an abbreviation ("Dr.", "e.g.", "etc.") or a single initial ("J.")
 * is no sentence end. The cut is made after the boundary's whitespace, so
 * pieces laid end to end are the text itself.
 *
 * Pure: no timers, no I/O. The idle flush (speak what is buffered when no
 * text comes for a while) belongs to the session, which calls `flush()`.
 */

export interface SegmenterOptions {
  /** Words a phrase needs before a clause break (comma, semicolon, colon, dash) may end it. */
  minClauseWords: number;
  /** A phrase this long (characters) is cut at its last word boundary even without punctuation. */
  maxPhraseChars: number;
}

export const SEGMENTER_DEFAULTS: SegmenterOptions = { minClauseWords: 6, maxPhraseChars: 400 };

/** Lower-cased abbreviations (without their final period) after which a period ends no sentence. */
const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "no", "nos", "fig", "figs", "vol",
  "vols", "pp", "p", "ch", "sec", "dept", "inc", "ltd", "co", "corp", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "cmdr", "adm", "rev",
  "hon", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
  "fri", "sat", "sun", "a.m", "p.m", "u.s", "u.k", "u.s.a", "ph.d", "b.a", "m.a", "b.sc", "m.sc", "min", "max", "ave", "blvd", "rd", "ln",
]);

const SENTENCE_END = new Set([".", "!", "?", "…"]);
const CLAUSE_BREAK = new Set([",", ";", ":", "–", "—"]);
/** Closing marks that belong to the phrase they follow: `."` `?)` `!'`. */
const CLOSERS = new Set(['"', "'", ")", "]", "}", "”", "’", "»"]);
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

export class Segmenter {
  private buf = "";
  constructor(private readonly opts: SegmenterOptions = SEGMENTER_DEFAULTS) {}

  /** Text buffered and not yet handed on. */
  get pending(): string {
    return this.buf;
  }

  /** Add a piece of text; returns the phrases now complete (possibly none). */
  push(piece: string): string[] {
    this.buf += piece;
    const out: string[] = [];
    let cut: number;
    while ((cut = findCut(this.buf, this.opts)) > 0) {
      out.push(this.buf.slice(0, cut));
      this.buf = this.buf.slice(cut);
    }
    return out;
  }

  /** Everything buffered, as one phrase (undefined when only whitespace is left); the buffer is emptied. */
  flush(): string | undefined {
    const rest = this.buf;
    this.buf = "";
    return rest.trim() ? rest : undefined;
  }

  /** Drop what is buffered (barge-in). */
  clear(): void {
    this.buf = "";
  }
}

/** Where the first complete phrase of `text` ends (after its trailing whitespace), or 0 when none is known yet. */
export function findCut(text: string, opts: SegmenterOptions = SEGMENTER_DEFAULTS): number {
  let words = 0;
  let inWord = false;
  let lastSpace = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (isSpace(ch)) {
      if (inWord) words++;
      inWord = false;
      lastSpace = i;
      // A line break ends a phrase (lists, paragraphs) once it has words.
      if (ch === "\n" && words > 0) return endOfSpace(text, i);
      continue;
    }
    inWord = true;
    const isEnd = SENTENCE_END.has(ch);
    const isClause = CLAUSE_BREAK.has(ch);
    if (!isEnd && !isClause) continue;
    // Skip a run of the same kind of marks and closers: "?!", "...", '."'
    let j = i + 1;
    while (j < text.length && (SENTENCE_END.has(text[j]!) || CLOSERS.has(text[j]!))) j++;
    if (j >= text.length) return 0; // what follows is not known yet
    if (!isSpace(text[j])) {
      i = j - 1;
      continue; // 3.14, example.com, 1,000, 10:30
    }
    if (isEnd) {
      if (ch === "." && j === i + 1 && isAbbreviation(text, i)) continue;
      return endOfSpace(text, j);
    }
    // A clause break: only once the phrase has enough words (the word before the mark counts).
    if (words + 1 >= opts.minClauseWords) return endOfSpace(text, j);
  }
  if (text.length >= opts.maxPhraseChars && lastSpace > 0) return endOfSpace(text, lastSpace);
  return 0;
}

/** The index after the whitespace run starting at `i`; 0 when the run reaches the end (more may come, but the cut is safe anyway). */
function endOfSpace(text: string, i: number): number {
  let k = i;
  while (k < text.length && isSpace(text[k])) k++;
  return k;
}

/** Whether the period at `dot` ends an abbreviation or an initial ("Dr.", "e.g.", "J."). */
function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  while (s > 0 && !isSpace(text[s - 1]) && !'"(['.includes(text[s - 1]!)) s--;
  const word = text.slice(s, dot).toLowerCase();
  if (!word) return false;
  if (ABBREVIATIONS.has(word)) return true;
  // A single letter ("J.") or a dotted run of single letters ("U.N", "a.k.a").
  return /^[a-z](\.[a-z])*$/i.test(word);
}
