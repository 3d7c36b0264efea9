/**
 * Mandarin G2P: words (as normalisation cut them) -> Kokoro phonemes. Pinyin
 * comes from pinyin-pro (MIT; its dictionary ships in the package), read over
 * the whole phrase so that words choose their readings (银行 yín háng, 行长 háng
 * zhǎng) and 一 / 不 change tone before the next syllable (一个 yí gè, 不是 bú
 * shì). Third-tone sandhi is ours: a third tone before another becomes a
 * second (你好 ní hǎo, 展览馆 zhán lán guǎn), inside a word and across a
 * one-syllable word. Each syllable -> phonemes by pinyin-ipa.ts; a word's
 * syllables are joined, words are separated by spaces (as misaki does).
 * Latin-script words are not Mandarin: the caller says them with English rules.
 */
import { pinyin } from "pinyin-pro";
import { pinyinToPhonemes } from "./pinyin-ipa";

export { pinyinToPhonemes } from "./pinyin-ipa";

const HAN = /^\p{Script=Han}$/u;

/** Pinyin syllables with tone numbers (0 neutral) for each character of `text`; null for non-Han characters. */
export function syllables(text: string): Array<string | null> {
  const chars = [...text];
  const py = pinyin(text, { toneType: "num", type: "array", toneSandhi: true, v: true }) as string[];
  // one entry per character when the text is all Han (pinyin-pro's array output)
  if (py.length !== chars.length) return chars.map((c) => (HAN.test(c) ? (syllables(c)[0] ?? null) : null));
  return chars.map((c, i) => (HAN.test(c) && /^[a-zü]+[0-5]$/.test(py[i]!) ? py[i]! : null));
}

const toneOf = (s: string | null) => (s ? Number(s.slice(-1)) : -1);

/** Third-tone sandhi over a phrase's syllables; `word[i]` is the word of syllable i. */
export function thirdToneSandhi(syls: Array<string | null>, word: number[]): Array<string | null> {
  const size = new Map<number, number>();
  for (const w of word) size.set(w, (size.get(w) ?? 0) + 1);
  return syls.map((s, i) => {
    const next = syls[i + 1];
    if (toneOf(s) !== 3 || toneOf(next ?? null) !== 3) return s;
    const together = word[i] === word[i + 1] || size.get(word[i]!) === 1 || size.get(word[i + 1]!) === 1;
    return together ? s!.slice(0, -1) + "2" : s;
  });
}

/** Phonemes for each word of a phrase of Mandarin words (said one after the other). */
export function pronounceMandarin(words: readonly string[]): string[] {
  const text = words.join("");
  const syls = syllables(text);
  const wordOf: number[] = [];
  words.forEach((w, k) => {
    for (const _ of w) wordOf.push(k);
  });
  const sandhied = thirdToneSandhi(syls, wordOf);
  const out = words.map(() => "");
  sandhied.forEach((s, i) => {
    const ph = s ? pinyinToPhonemes(s) : undefined;
    if (ph) out[wordOf[i]!] += ph;
  });
  return out;
}

/** Spans of the words of a Mandarin text (offsets into `text`), by the runtime's dictionary word breaker. */
export function segmentMandarin(text: string): Array<[start: number, end: number]> {
  const out: Array<[number, number]> = [];
  for (const s of segmenter().segment(text))
    if (s.isWordLike || /\p{Script=Han}/u.test(s.segment)) out.push([s.index, s.index + s.segment.length]);
  return out;
}

let seg: Intl.Segmenter | undefined;
function segmenter(): Intl.Segmenter {
  return (seg ??= new Intl.Segmenter("zh", { granularity: "word" }));
}
