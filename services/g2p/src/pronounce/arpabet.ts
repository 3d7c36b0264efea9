/**
 * The CMU dictionary's ARPAbet, mapped into Kokoro's (misaki's) alphabet.
 * Stress marks go right before the vowel, as misaki writes them. A few
 * context rules bring it closer to misaki's gold lexicon (measured with
 * bench/eval-lexicon.ts): American flapped t (ɾ), syllabic l (ᵊl), the -ed/-es
 * endings (ᵻd, ᵻz), and "marry" with ɛ before r.
 */
export type Dialect = "us" | "gb";

const US: Record<string, string> = {
  AA: "ɑ",
  AE: "æ",
  AH: "ʌ",
  AO: "ɔ",
  AW: "W",
  AY: "I",
  EH: "ɛ",
  ER: "ɜɹ",
  EY: "A",
  IH: "ɪ",
  IY: "i",
  OW: "O",
  OY: "Y",
  UH: "ʊ",
  UW: "u",
  B: "b",
  CH: "ʧ",
  D: "d",
  DH: "ð",
  F: "f",
  G: "ɡ",
  HH: "h",
  JH: "ʤ",
  K: "k",
  L: "l",
  M: "m",
  N: "n",
  NG: "ŋ",
  P: "p",
  R: "ɹ",
  S: "s",
  SH: "ʃ",
  T: "t",
  TH: "θ",
  V: "v",
  W: "w",
  Y: "j",
  Z: "z",
  ZH: "ʒ",
};
const GB: Record<string, string> = {
  ...US,
  AA: "ɑː",
  AE: "a",
  AO: "ɔː",
  ER: "ɜː",
  IY: "i",
  OW: "Q",
  UW: "u",
};
const VOWELS = new Set([
  "AA",
  "AE",
  "AH",
  "AO",
  "AW",
  "AY",
  "EH",
  "ER",
  "EY",
  "IH",
  "IY",
  "OW",
  "OY",
  "UH",
  "UW",
]);

interface Phone {
  base: string;
  stress?: string;
}

function parse(arpa: string): Phone[] {
  const out: Phone[] = [];
  for (const p of arpa.trim().split(/\s+/)) {
    const m = /^([A-Z]+)([012])?$/.exec(p);
    if (m) out.push({ base: m[1]!, stress: m[2] });
  }
  // two primary stresses ("otherworldly", "ok"): misaki keeps one, the other becomes secondary
  const primaries = out.filter((p) => p.stress === "1");
  // (the last one stays primary: measured against gold, slightly better than the first)
  if (primaries.length > 1) primaries.slice(0, -1).forEach((p) => (p.stress = "2"));
  return out;
}

const isVowel = (p: Phone | undefined) => !!p && VOWELS.has(p.base);

/** `"HH AH0 L OW1"` -> `"həlˈO"` (us) / `"həlˈQ"` (gb). */
export function arpabetToKokoro(arpa: string, dialect: Dialect, spelling = ""): string {
  const table = dialect === "gb" ? GB : US;
  const ph = parse(arpa);
  let out = "";
  for (let i = 0; i < ph.length; i++) {
    const p = ph[i]!;
    const prev = ph[i - 1];
    const next = ph[i + 1];
    if (!isVowel(p)) {
      if (p.base === "R" && dialect === "gb" && !isVowel(next)) continue; // non-rhotic
      if (
        p.base === "T" &&
        dialect === "us" &&
        i > 0 &&
        next &&
        isVowel(next) &&
        next.stress === "0" &&
        (isVowel(prev) || (prev?.base === "R" && isVowel(ph[i - 2])))
      ) {
        out += "ɾ"; // flapped t: "water", "better", "party"
        continue;
      }
      out += table[p.base] ?? "";
      continue;
    }
    const mark = p.stress === "1" ? "ˈ" : p.stress === "2" ? "ˌ" : "";
    let v = table[p.base] ?? "";
    const afterPrimary = ph.slice(0, i).some((q) => q.stress === "1");
    const nextVowel = ph.slice(i + 1).find(isVowel);
    if (
      p.stress === "2" &&
      p.base === "IH" &&
      !afterPrimary &&
      nextVowel?.stress === "1" &&
      dialect === "us"
    ) {
      out += v; // misaki leaves a pre-stress "ɪ" unmarked ("ebullient")
      continue;
    }
    if (
      p.stress === "0" &&
      i === 0 &&
      p.base === "AH" &&
      next?.base === "N" &&
      /^un/.test(spelling) &&
      dialect === "us"
    ) {
      out += "ˌʌ"; // the un- prefix keeps its vowel ("unable")
      continue;
    }
    if (dialect === "us") {
      const finalSyl = i + 2 === ph.length;
      if (
        p.base === "AH" &&
        p.stress === "0" &&
        finalSyl &&
        ((next?.base === "D" && (prev?.base === "T" || prev?.base === "D")) ||
          (next?.base === "Z" && prev && ["S", "Z", "SH", "ZH", "CH", "JH"].includes(prev.base)))
      ) {
        out += "ᵻ"; // "-ed" after t/d, "-es" after a sibilant
        continue;
      }
      if (p.base === "IY" && p.stress === "2" && i === ph.length - 1) {
        out += "i"; // no stress on a final -y ("actuary")
        continue;
      }
      if (p.base === "EH" && p.stress === "0" && i === 0) {
        out += "ɪ"; // "enable", "embark"
        continue;
      }
      if ((p.base === "AY" || p.base === "AW") && next?.base === "R" && !isVowel(ph[i + 2])) {
        out += mark + table[p.base] + "ə"; // "admire", "hour"
        continue;
      }
    }
    if (p.stress === "0") {
      if (p.base === "AH")
        v =
          next?.base === "L" && !isVowel(ph[i + 2]) && i > 0 && !(prev?.base === "R" || isVowel(prev))
            ? "ᵊ"
            : "ə";
      if (
        p.base === "AH" &&
        dialect === "us" &&
        next?.base === "N" &&
        ph[i + 2] &&
        !isVowel(ph[i + 2]) &&
        prev &&
        ["D", "S", "T", "Z", "SH"].includes(prev.base) &&
        afterPrimary
      )
        v = "ᵊ"; // "abandoned", "acceptance"
      else if (p.base === "ER") v = dialect === "gb" ? "ə" : "əɹ";
      else if (
        p.base === "IH" &&
        i > 0 &&
        next &&
        (next.base === "D" || next.base === "Z") &&
        i + 2 === ph.length
      )
        v = dialect === "gb" ? "ɪ" : "ᵻ";
      else if (
        p.base === "IH" &&
        dialect === "us" &&
        next &&
        !isVowel(next) &&
        next.base !== "NG" &&
        isVowel(ph[i + 2])
      )
        v = "ə"; // medial reduced vowel ("develop")
    }
    if (p.base === "AE" && dialect === "us" && next?.base === "R" && isVowel(ph[i + 2])) v = "ɛ";
    if (p.base === "ER" && dialect === "gb" && isVowel(next)) v += "ɹ";
    if (dialect === "gb") {
      const rColoured = next?.base === "R" && !isVowel(ph[i + 2]);
      if ((p.base === "IY" || p.base === "UW") && p.stress !== "0") v += "ː";
      else if (p.base === "AH" && p.stress === "0" && next?.base === "N" && !isVowel(ph[i + 2]) && i > 0)
        v = "ᵊ";
      else if (p.base === "EH" && next?.base === "R") v = "ɛː";
      else if (p.base === "IH" && rColoured) v = "ɪə";
      else if (p.base === "UH" && rColoured) v = "ʊə";
      else if (p.base === "AA" && next?.base !== "R" && /o/.test(spelling) && !/a/.test(spelling)) v = "ɒ";
    }
    out += mark + v;
  }
  return out;
}
