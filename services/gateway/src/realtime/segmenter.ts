/**
 * Incremental segmentation for realtime TTS: text arrives in arbitrary
 * pieces (an LLM's tokens, down to single characters) and a phrase is handed
 * on as soon as it is known, so speech can start before the text is finished.
 *
 * A phrase ends at a sentence end (. ! ? … followed by a space or a line
 * break; 。！？ and the danda । with or without one), at a line break, or at a
 * clause break (, ; : – —, and Chinese and Japanese ，、；：) once the phrase
 * has enough words (or characters) to sound natural. A boundary is only known when the
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
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "mt",
  "ft",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "cf",
  "al",
  "approx",
  "no",
  "nos",
  "fig",
  "figs",
  "vol",
  "vols",
  "pp",
  "p",
  "ch",
  "sec",
  "dept",
  "inc",
  "ltd",
  "co",
  "corp",
  "gen",
  "gov",
  "sen",
  "rep",
  "col",
  "lt",
  "sgt",
  "capt",
  "cmdr",
  "adm",
  "rev",
  "hon",
  "est",
  "rt",
  "rte",
  "apt",
  "rm",
  "ext",
  "hwy",
  "ste",
  "bldg",
  "tel",
  "fl",
  "ft",
  "pt",
  "oz",
  "lb",
  "lbs",
  "hr",
  "hrs",
  "mins",
  "sq",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "mon",
  "tue",
  "tues",
  "wed",
  "thu",
  "thurs",
  "fri",
  "sat",
  "sun",
  "a.m",
  "p.m",
  "u.s",
  "u.k",
  "u.s.a",
  "ph.d",
  "b.a",
  "m.a",
  "b.sc",
  "m.sc",
  "min",
  "max",
  "ave",
  "blvd",
  "rd",
  "ln",
]);

const SENTENCE_END = new Set([".", "!", "?", "…"]);
/** Sentence ends of Chinese, Japanese and Hindi: no space follows them, and none is needed. */
const FULL_STOP = new Set(["。", "！", "？", "．", "।", "॥"]);
/** Clause marks of Chinese and Japanese. */
const FULL_CLAUSE = new Set(["，", "、", "；", "："]);
/** Closing marks of Chinese and Japanese that belong to the phrase they follow: 。」 */
const FULL_CLOSERS = new Set(["」", "』", "）", "】", "〉", "》"]);
/** Characters a clause of Chinese or Japanese needs before its mark may end a phrase. */
const MIN_CLAUSE_CHARS = 12;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CLAUSE_BREAK = new Set([",", ";", ":", "–", "—"]);
/** Closing marks that belong to the phrase they follow: `."` `?)` `!'`. */
const CLOSERS = new Set(['"', "'", ")", "]", "}", "”", "’", "»"]);
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
import { HETERONYMS, SENTENCE_CONTEXT } from "./heteronyms";

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
      if (ch !== "\n" || words === 0) continue;
      const cut = endOfSpace(text, i);
      if (!cut) return 0;
      // A line break is a soft break: g2p reads across it (even a paragraph's), so the same care as at a comma.
      const soft = softCut(text, i, cut);
      if (soft === WAIT) return 0;
      if (soft === OK) return cut;
      i = cut - 1;
      continue;
    }
    if (FULL_STOP.has(ch) || FULL_CLAUSE.has(ch)) {
      // "。" or "，": the phrase ends after it and its closers, space or not ("今日は。明日は。")
      let j = i + 1;
      while (
        j < text.length &&
        (FULL_STOP.has(text[j]!) || CLOSERS.has(text[j]!) || FULL_CLOSERS.has(text[j]!))
      )
        j++;
      if (j >= text.length) return 0; // a closer may follow
      const cut = isSpace(text[j]) ? endOfSpace(text, j) : j;
      if (!cut) return 0;
      if (FULL_STOP.has(ch) || i >= MIN_CLAUSE_CHARS) return cut;
      inWord = false;
      i = j - 1;
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
    const cut = endOfSpace(text, j);
    if (isEnd) {
      if (ch === "." && j === i + 1 && isAbbreviation(text, i)) continue;
      return cut;
    }
    // A clause break: only once the phrase has enough words (the word before the mark counts), and where g2p loses no context.
    if (words + 1 < opts.minClauseWords) continue;
    if (!/[\p{L}\p{N}]/u.test(text[i - 1] ?? "")) continue; // "Mon.,": g2p says the two marks together differently at a phrase end
    if (!cut) return 0;
    const soft = softCut(text, i, cut);
    if (soft === WAIT) return 0;
    if (soft === OK) return cut;
  }
  if (text.length >= opts.maxPhraseChars && lastSpace > 0)
    return endOfSpace(text, lastSpace) || lastSpace + 1;
  // Chinese or Japanese without a mark for a long while: cut between two of its characters
  if (
    text.length >= opts.maxPhraseChars &&
    CJK.test(text[opts.maxPhraseChars - 1]!) &&
    CJK.test(text[opts.maxPhraseChars]!)
  )
    return opts.maxPhraseChars;
  return 0;
}

const PAST_WORDS = new Set(
  "was were had did said went saw came took made got gave told felt thought knew found left stood sat ran began became brought kept held heard showed seemed looked asked wrote spoke drove fell rose grew yesterday ago last already earlier once previously".split(
    " ",
  ),
);
const isPastish = (w: string) => PAST_WORDS.has(w) || /^[a-z]{2,}ed$/.test(w);

const OK = 1;
const NO = 2;
const WAIT = 3;
const WORD = /[\p{L}\p{N}'’]+/gu;

/**
 * Whether a soft break (a clause mark or a line break at `brk`, the next
 * phrase starting at `cut`) may end a phrase without changing how g2p reads
 * the words around it: not after a number (a unit or fraction may follow:
 * "5\nkg", "0\n2/3", "1st\nFeb."), not before one ("Ref: 7734"), not next to a heteronym
 * (its reading depends on its neighbours), not in a phrase holding a word
 * read against its whole sentence. WAIT: the next two words are not known yet.
 */
function softCut(text: string, brk: number, cut: number): typeof OK | typeof NO | typeof WAIT {
  const head = text.slice(0, brk + 1);
  if (!/[\p{L}\p{N}][,;:–—]?\s*$/u.test(head)) return NO; // "etc.\n", "Mon.,": marks together are said differently at a phrase end
  const before = head.toLowerCase().match(WORD) ?? [];
  if (before.some((w) => SENTENCE_CONTEXT.has(w))) return NO;
  // A past tense before the break makes a later "read" or "wound" in the same sentence past too.
  if (before.some(isPastish)) return NO;
  const last = before[before.length - 1];
  // Nor after a word with a figure in it: an ordinal starts a date across the break ("1st\nFeb. 29").
  if (!last || last.length < 2 || /\d/.test(last) || HETERONYMS.has(last)) return NO;
  const after = text.slice(cut);
  if (/^\P{L}/u.test(after) && /^[\p{N}$£€#]/u.test(after)) return NO;
  // The next two words, complete (each followed by something that is not part of a word), but none
  // past a sentence end: what follows it does not touch the break ("line\nOK. 2 more" cuts as "OK."
  // shows, however the pieces fall).
  const stop = after.search(/[.!?]\s/);
  const next: string[] = [];
  for (const m of (stop < 0 ? after : after.slice(0, stop)).matchAll(WORD)) {
    if (m.index! + m[0].length >= after.length) break; // may continue in the next piece
    next.push(m[0]);
    if (next.length === 2) break;
  }
  if (next.length < 2 && stop < 0) return WAIT;
  // A Roman numeral reads with the name before it ("Louis\nI": Louis the First).
  if (next[0] && /^[IVXLCDM]+$/.test(next[0])) return NO;
  if (next.some((w) => HETERONYMS.has(w.toLowerCase()) || /^\d/.test(w))) return NO;
  return OK;
}

/**
 * The index after the whitespace run starting at `i`, or 0 while the run
 * reaches the end: where it ends is not known yet, and a cut must not depend
 * on how the text was split into pieces. (An LLM's next token brings its
 * leading space with its first letters, so this costs no wait.)
 */
function endOfSpace(text: string, i: number): number {
  let k = i;
  while (k < text.length && isSpace(text[k])) k++;
  return k < text.length ? k : 0;
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
