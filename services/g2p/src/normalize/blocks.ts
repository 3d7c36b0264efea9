/**
 * Where to cut a long text into blocks that can be normalised one after the
 * other (so the first chunk of a long text does not wait for the rest): after
 * a paragraph break or a sentence end, at the start of the next word (or right
 * after 。！？ or a danda, which no space follows), never inside `[...]` markup.
 */
const SENTENCE_END = /[.!?…。！？।॥]["”’')\]」』）]*$/;
/** Sentence ends of Chinese, Japanese and Hindi text, which need no space after them. */
const FULL_STOP = /[。！？।॥]/;

/** End of the block that starts at `from` and aims at `size` characters (the text's end when it is near). */
export function nextBlockEnd(text: string, from: number, size: number): number {
  if (text.length - from <= size * 1.5) return text.length;
  const p = cut(text, from, size);
  // never leave a short last block with nothing to say (its marks would have no word to go with)
  if (text.length - p <= size * 4 && !/[\p{L}\p{N}]/u.test(text.slice(p))) return text.length;
  return p;
}

function cut(text: string, from: number, size: number): number {
  const hardMax = Math.min(text.length, from + size * 8);
  let fallback = -1;
  for (let p = from + size; p < hardMax; p++) {
    // p: first character of a word after whitespace, or of the sentence after "。" (no space in CJK text)
    const afterFullStop = FULL_STOP.test(text[p - 1]!) && /[\p{L}\p{N}]/u.test(text[p]!);
    if (!afterFullStop && (!/\s/.test(text[p - 1]!) || /\s/.test(text[p]!))) continue;
    if (insideMarkup(text, p)) continue;
    if (afterFullStop) return p;
    if (fallback < 0) fallback = p;
    let q = p - 1;
    let newline = false;
    while (q > from && /\s/.test(text[q]!)) {
      if (text[q] === "\n") newline = true;
      q--;
    }
    if (newline || SENTENCE_END.test(text.slice(Math.max(from, q - 3), q + 1))) return p;
  }
  return fallback > 0 ? fallback : hardMax;
}

function insideMarkup(text: string, p: number): boolean {
  const open = text.lastIndexOf("[", p);
  if (open < 0 || p - open > 520) return false;
  const close = text.lastIndexOf(")", p);
  const closeBracket = text.lastIndexOf("]", p);
  return (
    open > Math.max(closeBracket, close) ||
    (closeBracket > open && text[closeBracket + 1] === "(" && close < closeBracket)
  );
}
