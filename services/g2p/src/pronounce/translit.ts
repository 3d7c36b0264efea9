/**
 * Cyrillic and Greek words in English text, romanised so they can be said
 * (roughly) instead of dropped. Other scripts have no English reading here.
 */
const MAP: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "yo",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  і: "i",
  ї: "yi",
  є: "ye",
  ґ: "g",
  α: "a",
  β: "v",
  γ: "g",
  δ: "d",
  ε: "e",
  ζ: "z",
  η: "i",
  θ: "th",
  ι: "i",
  κ: "k",
  λ: "l",
  μ: "m",
  ν: "n",
  ξ: "x",
  ο: "o",
  π: "p",
  ρ: "r",
  σ: "s",
  ς: "s",
  τ: "t",
  υ: "y",
  φ: "f",
  χ: "ch",
  ψ: "ps",
  ω: "o",
};

/** The word in Latin letters, or "" when its script has no romanisation here. */
export function romanize(word: string): string {
  let out = "";
  for (const ch of word.normalize("NFD").replace(/\p{M}/gu, "")) {
    if (/\p{Script=Latin}/u.test(ch)) out += ch;
    else {
      const lower = ch.toLowerCase();
      const r = MAP[lower];
      if (r !== undefined) out += ch !== lower && r ? r[0]!.toUpperCase() + r.slice(1) : r;
    }
  }
  return out;
}
