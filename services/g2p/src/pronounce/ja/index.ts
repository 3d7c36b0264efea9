/**
 * Japanese G2P: words (as normalisation cut them) -> Kokoro phonemes, the way
 * misaki's default Japanese G2P does it: the analyser's pronunciation of each
 * morpheme, kana read mora by mora (kana.ts), a space between morphemes and
 * none around a small っ (ʔ). Numbers with their counters are read by
 * numbers.ts (さんびゃく, いっぽん), not morpheme by morpheme. Latin-script
 * words are not Japanese: the caller says them with English rules.
 *
 * Also cuts Japanese text into words (segmentJapanese) for normalisation: a
 * content word with the particles, auxiliaries and suffixes after it (今日は,
 * 行きました), which is how a listener hears a word and where a chunk may end.
 */
import { analyse, type Morpheme } from "./analyser";
import { isKana, kanaToPhonemes } from "./kana";
import { readNumberWord } from "./numbers";

export { loadJapaneseAnalyser, japaneseAnalyserReady } from "./analyser";
export { kanaToPhonemes } from "./kana";
export { readNumberWord } from "./numbers";

const isNumeral = (m: Morpheme) => m.pos === "名詞" && m.pos1 === "数";
const isCounter = (m: Morpheme) => m.pos === "名詞" && m.pos1 === "接尾" && m.pos2 === "助数詞";

/** Morphemes that lean on the word before them (particles, auxiliaries, suffixes, dependent verbs). */
function leans(m: Morpheme): boolean {
  if (m.pos === "助詞" || m.pos === "助動詞") return true;
  if (m.pos1 === "接尾" || m.pos1 === "非自立") return true;
  return false;
}

/** Pieces of a word: numbers with their counter read together, every other morpheme alone. */
interface Piece {
  text: string;
  kana: string;
}

function pieces(word: string): Piece[] {
  const ms = analyse(word);
  const out: Piece[] = [];
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    const prefix = m.surface === "第" && ms[i + 1] && isNumeral(ms[i + 1]!);
    if (isNumeral(m) || prefix) {
      let j = i + (prefix ? 1 : 0);
      while (
        j < ms.length &&
        (isNumeral(ms[j]!) || (ms[j]!.surface === "点" && ms[j + 1] && isNumeral(ms[j + 1]!)))
      )
        j++;
      const withCounter = j < ms.length && isCounter(ms[j]!) ? j + 1 : j;
      for (const end of withCounter === j ? [j] : [withCounter, j]) {
        const text = ms
          .slice(i, end)
          .map((x) => x.surface)
          .join("");
        const kana = readNumberWord(text);
        if (kana !== undefined) {
          out.push({ text, kana });
          i = end - 1;
          break;
        }
        if (end === j) out.push({ text: m.surface, kana: m.pron ?? "" });
      }
      continue;
    }
    out.push({
      text: m.surface,
      kana: m.pron ?? (isKana(m.surface) ? m.surface : unknownReading(m.surface)),
    });
  }
  return out;
}

/** A word the dictionary does not know: its characters one by one, as far as they are known. */
function unknownReading(s: string): string {
  if (s.length <= 1) return "";
  return [...s].map((ch) => analyse(ch)[0]?.pron ?? (isKana(ch) ? ch : "")).join("");
}

/** Kokoro phonemes of one Japanese word (no Latin letters: those are English). */
export function japaneseWordPhonemes(word: string): string {
  const parts = pieces(word)
    .map((p) => kanaToPhonemes(p.kana))
    .filter(Boolean);
  // a space between morphemes, none next to a glottal stop (っ said at a word's end joins the next)
  return parts.join(" ").replace(/ (?=ʔ)|(?<=ʔ) /gu, "");
}

/** Cache of word -> phonemes (Japanese text repeats its particles and words). */
const cache = new Map<string, string>();
const CACHE_MAX = 20_000;

export function pronounceJapanese(word: string): string {
  let ph = cache.get(word);
  if (ph === undefined) {
    ph = japaneseWordPhonemes(word);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(word, ph);
  }
  return ph;
}

/** Spans of the words of a Japanese text (offsets into `text`): a content word and what leans on it. */
export function segmentJapanese(text: string): Array<[start: number, end: number]> {
  const out: Array<[number, number]> = [];
  let prevNumeral = false;
  let prefixOpen = false;
  for (const m of analyse(text)) {
    const last = out[out.length - 1];
    const numeral = isNumeral(m);
    const attach =
      last !== undefined &&
      last[1] === m.start &&
      (prefixOpen || leans(m) || (numeral && prevNumeral) || (isCounter(m) && prevNumeral));
    if (attach) last[1] = m.end;
    else out.push([m.start, m.end]);
    prevNumeral = numeral;
    prefixOpen = m.pos === "接頭詞";
  }
  return out;
}
