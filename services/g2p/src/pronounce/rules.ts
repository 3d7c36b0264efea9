/**
 * Last-resort letter-to-sound rules: rough, but they make every Latin-script
 * word sayable when neither the lexicons nor espeak can help.
 */
import type { Dialect } from "./arpabet";

const MULTI: Array<[RegExp, string]> = [
  [/^kn/, "n"],
  [/^wr/, "ɹ"],
  [/^ps/, "s"],
  [/tch/, "ʧ"],
  [/tion/, "ʃən"],
  [/sion/, "ʒən"],
  [/ch/, "ʧ"],
  [/sh/, "ʃ"],
  [/th/, "θ"],
  [/ph/, "f"],
  [/ng/, "ŋ"],
  [/ck/, "k"],
  [/qu/, "kw"],
  [/wh/, "w"],
  [/igh/, "I"],
  [/gh$/, ""],
  [/ee/, "i"],
  [/ea/, "i"],
  [/oo/, "u"],
  [/ou/, "W"],
  [/ow$/, "O"],
  [/ow/, "W"],
  [/a[iy]/, "A"],
  [/o[iy]/, "Y"],
  [/a[uw]/, "ɔ"],
  [/ie$/, "i"],
  [/ie/, "i"],
  [/ei/, "A"],
  [/ey$/, "i"],
  [/ar/, "ɑɹ"],
  [/or/, "ɔɹ"],
  [/er$/, "əɹ"],
  [/[eiu]r/, "ɜɹ"],
];
const VOWEL_LETTERS = "aeiouy";
const SHORT: Record<string, string> = { a: "æ", e: "ɛ", i: "ɪ", o: "ɑ", u: "ʌ", y: "ɪ" };
const LONG: Record<string, string> = { a: "A", e: "i", i: "I", o: "O", u: "u", y: "I" };
const CONS: Record<string, string> = {
  b: "b",
  c: "k",
  d: "d",
  f: "f",
  g: "ɡ",
  h: "h",
  j: "ʤ",
  k: "k",
  l: "l",
  m: "m",
  n: "n",
  p: "p",
  q: "k",
  r: "ɹ",
  s: "s",
  t: "t",
  v: "v",
  w: "w",
  x: "ks",
  z: "z",
};
export const VOWEL_PHONEMES = "AIOQWYaeiouæɑɒɔəɛɜɪʊʌᵊᵻ";

/** Phonemes for a Latin-script word, or "" when it has no Latin letters. */
export function letterToSound(word: string, dialect: Dialect): string {
  const w = word
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  if (!w) return "";
  const out: string[] = [];
  let i = 0;
  outer: while (i < w.length) {
    const rest = w.slice(i);
    for (const [re, ph] of MULTI) {
      if (re.source.startsWith("^") && i > 0) continue;
      const m = new RegExp("^(?:" + re.source.replace(/^\^/, "") + ")").exec(rest);
      if (m && (!re.source.endsWith("$") || m[0].length === rest.length)) {
        out.push(ph);
        i += m[0].length;
        continue outer;
      }
    }
    const ch = w[i]!;
    const nx = w[i + 1];
    if (VOWEL_LETTERS.includes(ch)) {
      if (ch === "y" && i === 0) out.push("j");
      else if (ch === "e" && i === w.length - 1 && i > 0) out.push("");
      else if (ch === "y" && i === w.length - 1) out.push("i");
      else if (nx && !VOWEL_LETTERS.includes(nx) && w[i + 2] === "e" && i + 3 === w.length)
        out.push(LONG[ch]!);
      else if (!nx) out.push(LONG[ch]!);
      else out.push(SHORT[ch]!);
    } else if (ch === "c" && nx && "eiy".includes(nx)) out.push("s");
    else if (ch === "g" && nx && "eiy".includes(nx)) out.push("ʤ");
    else if (ch === nx) {
      out.push(CONS[ch] ?? "");
      i++;
    } else out.push(CONS[ch] ?? "");
    i++;
  }
  // stress the first vowel, reduce a/o/u in later syllables
  let stressed = false;
  const phon = out.map((p) => {
    if (!p || !VOWEL_PHONEMES.includes(p[0]!)) return p;
    if (!stressed) {
      stressed = true;
      return "ˈ" + p;
    }
    return p === "æ" || p === "ɑ" || p === "ʌ" ? "ə" : p;
  });
  let s = phon.join("");
  if (dialect === "gb")
    s = s
      .replace(/O/g, "Q")
      .replace(/æ/g, "a")
      .replace(/ɹ(?![AIOQWYaeiouæɑɒɔəɛɜɪʊʌᵊˈˌ])/g, "");
  return s;
}
