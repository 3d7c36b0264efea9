/** Letter names, for spelled words and acronyms (FBI -> ˈɛf bˈi ˈI). */
import type { Dialect } from "./arpabet";

const US: Record<string, string> = {
  A: "ˈA",
  B: "bˈi",
  C: "sˈi",
  D: "dˈi",
  E: "ˈi",
  F: "ˈɛf",
  G: "ʤˈi",
  H: "ˈAʧ",
  I: "ˈI",
  J: "ʤˈA",
  K: "kˈA",
  L: "ˈɛl",
  M: "ˈɛm",
  N: "ˈɛn",
  O: "ˈO",
  P: "pˈi",
  Q: "kjˈu",
  R: "ˈɑɹ",
  S: "ˈɛs",
  T: "tˈi",
  U: "jˈu",
  V: "vˈi",
  W: "dˈʌbᵊlju",
  X: "ˈɛks",
  Y: "wˈI",
  Z: "zˈi",
};
/** As misaki's gb_gold has them, except Z: British readers say "zed". */
const GB: Record<string, string> = {
  ...US,
  B: "bˈiː",
  C: "sˈiː",
  D: "dˈiː",
  E: "ˈiː",
  G: "ʤˈiː",
  O: "ˈQ",
  P: "pˈiː",
  Q: "kjˈuː",
  R: "ˈɑː",
  T: "tˈiː",
  U: "jˈuː",
  V: "vˈiː",
  W: "dˈʌbᵊljuː",
  Z: "zˈɛd",
};

export function letterName(ch: string, dialect: Dialect): string | undefined {
  const base = ch.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();
  return (dialect === "gb" ? GB : US)[base];
}

/** Phonemes for spelling a word letter by letter (letters we cannot name are skipped). */
export function spellOut(word: string, dialect: Dialect): string {
  return [...word]
    .map((ch) => letterName(ch, dialect))
    .filter((p): p is string => !!p)
    .join(" ");
}
