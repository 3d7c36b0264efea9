/**
 * One pinyin syllable with its tone number -> Kokoro's Mandarin phonemes, as
 * misaki's Chinese G2P for Kokoro v1.0 writes them: initials b p m f d t n l
 * g k h j q x zh ch sh r z c s as p pʰ m f t tʰ n l k kʰ x ʨ ʨʰ ɕ ꭧ ꭧʰ ʂ ɻ ʦ ʦʰ s;
 * finals in a broad IPA (ai̯ -> ai, iou -> jou, üan -> ɥɛn, the apical vowel
 * of zhi/zi -> ɨ); and the tone as an arrow right after the syllable's vowel,
 * before its nasal: 1 →, 2 ↗, 3 ↓, 4 ↘, neutral none (中 zhong1 -> ꭧʊ→ŋ).
 * The facts come from that mapping; the code is ours.
 */

const INITIALS: Record<string, string> = {
  b: "p",
  p: "pʰ",
  m: "m",
  f: "f",
  d: "t",
  t: "tʰ",
  n: "n",
  l: "l",
  g: "k",
  k: "kʰ",
  h: "x",
  j: "ʨ",
  q: "ʨʰ",
  x: "ɕ",
  zh: "ꭧ",
  ch: "ꭧʰ",
  sh: "ʂ",
  r: "ɻ",
  z: "ʦ",
  c: "ʦʰ",
  s: "s",
};

/** Finals as [before the tone, after the tone]: the tone mark goes after the vowel. */
const FINALS: Record<string, [string, string]> = {
  a: ["a", ""],
  ai: ["ai", ""],
  an: ["a", "n"],
  ang: ["a", "ŋ"],
  ao: ["au", ""],
  e: ["ɤ", ""],
  ei: ["ei", ""],
  en: ["ə", "n"],
  eng: ["ə", "ŋ"],
  i: ["i", ""],
  ia: ["ja", ""],
  ian: ["jɛ", "n"],
  iang: ["ja", "ŋ"],
  iao: ["jau", ""],
  ie: ["je", ""],
  in: ["i", "n"],
  iou: ["jou", ""],
  ing: ["i", "ŋ"],
  iong: ["jʊ", "ŋ"],
  ong: ["ʊ", "ŋ"],
  ou: ["ou", ""],
  u: ["u", ""],
  uei: ["wei", ""],
  ua: ["wa", ""],
  uai: ["wai", ""],
  uan: ["wa", "n"],
  uen: ["wə", "n"],
  uang: ["wa", "ŋ"],
  ueng: ["wə", "ŋ"],
  uo: ["wo", ""],
  o: ["wo", ""],
  ü: ["y", ""],
  üe: ["ɥe", ""],
  üan: ["ɥɛ", "n"],
  ün: ["y", "n"],
};

/** Syllables without an initial or final of the usual kind. */
const WHOLE: Record<string, [string, string]> = {
  er: ["ɚ", ""],
  o: ["ɔ", ""],
  io: ["jɔ", ""],
  ê: ["ɛ", ""],
  m: ["m", ""],
  n: ["n", ""],
  ng: ["ŋ", ""],
  hm: ["hm", ""],
  hng: ["hŋ", ""],
};

const TONES = ["", "→", "↗", "↓", "↘", ""];

/** Spelling rules of pinyin undone: y/w written for i/u/ü, iu/ui/un for iou/uei/uen, u for ü after j/q/x. */
function split(syl: string): { initial: string; final: string } | undefined {
  const s = syl.replace(/v/g, "ü");
  const m = /^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(.*)$/.exec(s)!;
  let initial = m[1] ?? "";
  let final = m[2]!;
  if (initial === "y") {
    initial = "";
    if (/^u/.test(final)) final = "ü" + final.slice(1);
    else if (/^i/.test(final)) final = final === "iu" ? "iou" : final;
    else final = "i" + final;
    if (final === "iu") final = "iou";
  } else if (initial === "w") {
    initial = "";
    final = final === "u" ? "u" : "u" + final;
    if (final === "uei" || final === "ui") final = "uei";
  } else if (/^[jqx]$/.test(initial) && /^u/.test(final)) {
    final = "ü" + final.slice(1);
  }
  if (final === "iu") final = "iou";
  else if (final === "ui") final = "uei";
  else if (final === "un") final = initial && /^[jqx]$/.test(initial) ? "ün" : "uen";
  else if (final === "ue" && !initial) final = "üe";
  if (!FINALS[final]) return undefined;
  return { initial, final };
}

/** "zhong1" -> ꭧʊ→ŋ; tone 0 or 5 is neutral. Undefined for what is not pinyin. */
export function pinyinToPhonemes(pinyin: string): string | undefined {
  const m = /^([a-zü:v]+)([0-5])?$/i.exec(pinyin.trim().toLowerCase().replace("u:", "ü"));
  if (!m) return undefined;
  const syl = m[1]!;
  const tone = TONES[Number(m[2] ?? 5)]!;
  const whole = WHOLE[syl];
  if (whole) return whole[0] + tone + whole[1];
  const parts = split(syl);
  if (!parts) return undefined;
  const onset = parts.initial ? INITIALS[parts.initial] : "";
  if (onset === undefined) return undefined;
  let [nucleus, coda] = FINALS[parts.final]!;
  // the apical vowel after zh ch sh r and z c s
  if (parts.final === "i" && /^(zh|ch|sh|r|z|c|s)$/.test(parts.initial)) nucleus = "ɨ";
  return onset + nucleus + tone + coda;
}
