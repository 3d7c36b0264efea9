/**
 * Figures written as Chinese characters, the way Japanese and Mandarin say
 * them: both group by ten thousands (万, 億/亿, 兆), but Mandarin says every
 * inner zero (一百零五) and the one before 百 and 千 (一百, 一千), where
 * Japanese says neither (百五, 千). The words are written, not read: the
 * language's G2P says 三百 as さんびゃく (ja) or sān bǎi (zh).
 */

export type CjkLang = "ja" | "zh";

const DIGITS = { ja: "〇一二三四五六七八九", zh: "零一二三四五六七八九" } as const;
const BIG = { ja: ["", "万", "億", "兆", "京"], zh: ["", "万", "亿", "兆", "京"] } as const;

/** 0..9999 in one group. `lead`: nothing is said before this group (zh 十五 rather than 一十五). */
function group(n: number, lang: CjkLang, lead: boolean): string {
  const d = DIGITS[lang];
  const places: Array<[number, string]> = [
    [1000, "千"],
    [100, "百"],
    [10, "十"],
    [1, ""],
  ];
  let out = "";
  let zero = false;
  for (const [p, name] of places) {
    const v = Math.floor(n / p) % 10;
    if (v === 0) {
      if (out) zero = true;
      continue;
    }
    if (lang === "zh" && zero) out += "零";
    zero = false;
    if (p === 1) out += d[v];
    else if (v === 1 && (lang === "ja" || (p === 10 && lead && !out))) out += name;
    else if (lang === "zh" && v === 2 && p >= 100 && !out && lead) out += "两" + name;
    else out += d[v] + name;
  }
  return out;
}

/** A whole number (0 .. 10^20) in characters: 25 -> 二十五, 105 -> 百五 (ja) / 一百零五 (zh). */
export function integerWords(n: bigint | number, lang: CjkLang): string {
  let v = BigInt(n);
  if (v < 0n) return (lang === "ja" ? "マイナス" : "负") + integerWords(-v, lang);
  if (v === 0n) return lang === "ja" ? "ゼロ" : "零";
  const groups: number[] = [];
  while (v > 0n) {
    groups.push(Number(v % 10000n));
    v /= 10000n;
  }
  if (groups.length > BIG[lang].length) return digitWords(String(n), lang);
  let out = "";
  let gap = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const n4 = groups[g]!;
    if (n4 === 0) {
      if (out) gap = true;
      continue;
    }
    // zh says the zero of a skipped group or of a group under 1000 (一万零五百)
    if (lang === "zh" && out && (gap || n4 < 1000)) out += "零";
    gap = false;
    // ja says 一 before 万 and larger (一万), never before 千 at the start (千)
    let words = group(n4, lang, !out);
    if (lang === "ja" && g > 0 && n4 === 1) words = "一";
    if (lang === "zh" && g > 0 && n4 === 2 && !out) words = "两";
    out += words + BIG[lang][g]!;
  }
  return out;
}

/** Figures one by one: "090" -> 〇九〇 (ja) / 零九零 (zh). */
export function digitWords(digits: string, lang: CjkLang): string {
  return [...digits].map((c) => (/\d/.test(c) ? DIGITS[lang][Number(c)] : "")).join("");
}

/** "3.14" -> 三点一四; "-2.5" -> マイナス二点五 / 负二点五; commas between thousands are ignored. */
export function decimalWords(text: string, lang: CjkLang): string {
  const t = text.replace(/,/g, "");
  const neg = /^[-−]/.test(t);
  const [int, frac] = t.replace(/^[-−+]/, "").split(".");
  const intPart = int ? integerWords(BigInt(int), lang) : lang === "ja" ? "ゼロ" : "零";
  const whole = intPart + (frac ? "点" + digitWords(frac, lang) : "");
  return (neg ? (lang === "ja" ? "マイナス" : "负") : "") + whole;
}

/** Full-width digits and marks (０-９, ，．％) as ASCII, same length (spans stay right). */
export function asciiDigits(s: string): string {
  return s.replace(/[０-９．，％：／－＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}
