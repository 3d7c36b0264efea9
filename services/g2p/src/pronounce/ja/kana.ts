/**
 * Japanese kana -> Kokoro's Japanese phonemes. Kokoro v1.0 learned Japanese
 * from misaki's default ("cutlet") G2P, which reads a word's pronunciation in
 * kana mora by mora into a broad IPA: く kɯ, し ɕi, つ ʦɨ, ふ ɸɯ, ら ɾa, わ βa,
 * palatalised き kʲi; the long-vowel mark ー is ː, small っ a glottal stop ʔ,
 * and ん takes the place of the next sound (m before m/p/b, ŋ before k/ɡ, ɲ
 * before ɲ/ʨ/ʥ, n before n/t/d/ɾ/z, ɴ otherwise). These are the facts of that
 * table; the code is ours. Katakana is read as the matching hiragana.
 */

/** A row: the kana for a, i, u, e, o and the sound of each (null where the kana does not exist). */
function row(kana: string, sounds: Array<string | null>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  [...kana].forEach((k, i) => {
    const s = sounds[i];
    if (k !== "・" && s) out.push([k, s]);
  });
  return out;
}

const SINGLE = new Map<string, string>([
  ...row("あいうえお", ["a", "i", "ɯ", "e", "o"]),
  ...row("ぁぃぅぇぉ", ["a", "i", "ɯ", "e", "o"]),
  ...row("かきくけこ", ["ka", "kʲi", "kɯ", "ke", "ko"]),
  ...row("がぎぐげご", ["ɡa", "ɡʲi", "ɡɯ", "ɡe", "ɡo"]),
  ...row("さしすせそ", ["sa", "ɕi", "sɨ", "se", "so"]),
  ...row("ざじずぜぞ", ["ʣa", "ʥi", "zɨ", "ʣe", "ʣo"]),
  ...row("たちつてと", ["ta", "ʨi", "ʦɨ", "te", "to"]),
  ...row("だぢづでど", ["da", "ʥi", "zɨ", "de", "do"]),
  ...row("なにぬねの", ["na", "ɲi", "nɯ", "ne", "no"]),
  ...row("はひふへほ", ["ha", "çi", "ɸɯ", "he", "ho"]),
  ...row("ばびぶべぼ", ["ba", "bʲi", "bɯ", "be", "bo"]),
  ...row("ぱぴぷぺぽ", ["pa", "pʲi", "pɯ", "pe", "po"]),
  ...row("まみむめも", ["ma", "mʲi", "mɯ", "me", "mo"]),
  ...row("や・ゆ・よ", ["ja", null, "jɯ", null, "jo"]),
  ...row("ゃ・ゅ・ょ", ["ja", null, "jɯ", null, "jo"]),
  ...row("らりるれろ", ["ɾa", "ɾʲi", "ɾɯ", "ɾe", "ɾo"]),
  ...row("わゐ・ゑを", ["βa", "i", null, "e", "o"]),
  ["ゎ", "βa"],
  ["ゔ", "vɯ"],
  ["ゕ", "ka"],
  ["ゖ", "ke"],
  // katakana-only voiced w-row (no hiragana twin)
  ["ヷ", "va"],
  ["ヸ", "vʲi"],
  ["ヹ", "ve"],
  ["ヺ", "vo"],
]);

/** Two kana read as one mora: a kana and a small kana after it. */
const PAIRS = new Map<string, string>();
function pairs(base: string, smalls: string, sounds: string[]): void {
  [...smalls].forEach((s, i) => {
    if (sounds[i]) PAIRS.set(base + s, sounds[i]!);
  });
}
// small ya/yu/yo after an i-column kana: the onset palatalised, then a, ɨ, o
const YOON: Array<[string, string]> = [
  ["き", "kʲ"],
  ["ぎ", "ɡʲ"],
  ["し", "ɕ"],
  ["じ", "ʥ"],
  ["ち", "ʨ"],
  ["ぢ", "ʥ"],
  ["に", "ɲ"],
  ["ひ", "ç"],
  ["び", "bʲ"],
  ["ぴ", "pʲ"],
  ["み", "mʲ"],
  ["り", "ɾʲ"],
];
for (const [k, c] of YOON) pairs(k, "ゃゅょ", [c + "a", c + "ɨ", c + "o"]);
pairs("き", "ぇ", ["kʲe"]);
pairs("し", "ぇ", ["ɕe"]);
pairs("じ", "ぇ", ["ʥe"]);
pairs("ち", "ぇ", ["ʨe"]);
pairs("に", "ぇ", ["ɲe"]);
pairs("ひ", "ぇ", ["çe"]);
pairs("い", "ぇ", ["je"]);
pairs("う", "ぃぇぉ", ["βi", "βe", "βo"]);
pairs("く", "ぁぃぇぉ", ["kᵝa", "kᵝi", "kᵝe", "kᵝo"]);
pairs("ぐ", "ぁぃぇぉ", ["ɡᵝa", "ɡᵝi", "ɡᵝe", "ɡᵝo"]);
pairs("つ", "ぁぃぇぉ", ["ʦa", "ʦʲi", "ʦe", "ʦo"]);
pairs("て", "ぃゅ", ["tʲi", "tʲɨ"]);
pairs("で", "ぃゅ", ["dʲi", "dʲɨ"]);
pairs("と", "ぅ", ["tɯ"]);
pairs("ど", "ぅ", ["dɯ"]);
pairs("ふ", "ぁぃぇぉゅょ", ["ɸa", "ɸʲi", "ɸe", "ɸo", "ɸʲɨ", "ɸʲo"]);
pairs("ゔ", "ぁぃぇぉゅょ", ["va", "vʲi", "ve", "vo", "bʲɨ", "bʲo"]);

const SMALL = new Set([..."ゃゅょぁぃぅぇぉ"]);

/** Katakana (ァ..ヶ) to hiragana; other characters unchanged. ヷ..ヺ stay (SINGLE has them). */
export function toHiragana(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x30a1 && c <= 0x30f6 ? String.fromCodePoint(c - 0x60) : ch;
  }
  return out;
}

/** Is every character kana (or the long mark, iteration marks)? */
export function isKana(s: string): boolean {
  return s.length > 0 && /^[\u3041-\u309F\u30A0-\u30FF\u31F0-\u31FFー]+$/u.test(s);
}

/** The first sound of a kana at `i` (for ん's assimilation), or "". */
function onsetAt(h: string, i: number): string {
  const two = h.slice(i, i + 2);
  return PAIRS.get(two) ?? SINGLE.get(h[i] ?? "") ?? "";
}

/** ん before this sound. */
function moraicN(next: string): string {
  if (/^[mpb]/.test(next)) return "m";
  if (/^[kɡ]/.test(next)) return "ŋ";
  if (/^(ɲ|ʨ|ʥ)/.test(next)) return "ɲ";
  if (/^[ntdɾz]/.test(next)) return "n";
  return "ɴ";
}

/** Small katakana of the phonetic extensions (ㇰ..ㇿ) read as their full-size kana. */
const PHONETIC_EXT = "くしすとぬはひふへほむらりるれろ";

/** A kana pronunciation (katakana or hiragana, with ー) -> Kokoro phonemes. Unknown characters are skipped. */
export function kanaToPhonemes(kana: string): string {
  const h = [...toHiragana(kana)]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      return c >= 0x31f0 && c <= 0x31ff ? PHONETIC_EXT[c - 0x31f0]! : ch;
    })
    .join("");
  let out = "";
  for (let i = 0; i < h.length; i++) {
    const ch = h[i]!;
    const pair = PAIRS.get(h.slice(i, i + 2));
    if (pair) {
      out += pair;
      i++;
      continue;
    }
    const next = h[i + 1];
    if (next && SMALL.has(next) && ch !== "っ" && SINGLE.has(ch)) {
      // an unusual pair (e.g. "きぃ"): the onset of the first, the vowel of the small one
      out += SINGLE.get(ch)!.slice(0, -1) + SINGLE.get(next)!.slice(-1);
      i++;
      continue;
    }
    if (ch === "ー") out += out ? "ː" : "";
    else if (ch === "っ") out += "ʔ";
    else if (ch === "ん") out += moraicN(onsetAt(h, i + 1));
    else if (ch === "ゝ" || ch === "ヽ") out += lastMora(h, i);
    else if (ch === "ゞ" || ch === "ヾ") out += voiced(lastMora(h, i));
    else if (SMALL.has(ch)) out += SINGLE.get(ch)!;
    else out += SINGLE.get(ch) ?? "";
  }
  return out;
}

/** The sound of the kana before `i` (iteration marks repeat it). */
function lastMora(h: string, i: number): string {
  return i > 0 ? (SINGLE.get(h[i - 1]!) ?? "") : "";
}

const VOICING: Record<string, string> = {
  k: "ɡ",
  s: "z",
  ɕ: "ʥ",
  t: "d",
  ʨ: "ʥ",
  ʦ: "z",
  h: "b",
  ç: "bʲ",
  ɸ: "b",
};
function voiced(p: string): string {
  for (const [from, to] of Object.entries(VOICING)) if (p.startsWith(from)) return to + p.slice(from.length);
  return p;
}
