/**
 * Long plain-text paragraphs are cut into pieces of bounded length so a cue
 * never has to be held whole as audio: a paragraph of 30,000 characters
 * became one cue rendered entirely in memory before its first byte was sent
 * (issue 20, finding 2). Pieces end at a sentence end when one is near,
 * else at a space, else (text without spaces) at the limit.
 */

/** Longest plain-text cue, in characters (about 30 s of speech). */
export const TEXT_PIECE_CHARS = 400;

/** Pause between the pieces of one paragraph (shorter than the pause between paragraphs). */
export const PIECE_GAP_S = 0.15;

export function splitLongText(text: string, max = TEXT_PIECE_CHARS): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = -1;
    // The last sentence end in the window's second half, then the last space.
    const sentence = /[.!?…;:](?=\s)/g;
    for (let m = sentence.exec(window); m; m = sentence.exec(window))
      if (m.index + 1 >= max / 2) cut = m.index + 1;
    if (cut < 0) {
      const space = window.lastIndexOf(" ");
      cut = space > 0 ? space : max;
    }
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}
