/**
 * Hindi numbers as words. 0..99 are each their own word (a table, not a
 * rule); above that, Indian scales: सौ 100, हज़ार 10^3, लाख 10^5, करोड़ 10^7,
 * अरब 10^9, खरब 10^11. 1100..1999 read by hundreds (उन्नीस सौ अट्ठानवे, the
 * way years and prices are said). Up to 15 digits; longer strings digit by
 * digit. Pure functions.
 */

/** 0..99. */
export const BELOW_100 = [
  "शून्य",
  "एक",
  "दो",
  "तीन",
  "चार",
  "पाँच",
  "छह",
  "सात",
  "आठ",
  "नौ",
  "दस",
  "ग्यारह",
  "बारह",
  "तेरह",
  "चौदह",
  "पंद्रह",
  "सोलह",
  "सत्रह",
  "अठारह",
  "उन्नीस",
  "बीस",
  "इक्कीस",
  "बाईस",
  "तेईस",
  "चौबीस",
  "पच्चीस",
  "छब्बीस",
  "सत्ताईस",
  "अट्ठाईस",
  "उनतीस",
  "तीस",
  "इकतीस",
  "बत्तीस",
  "तैंतीस",
  "चौंतीस",
  "पैंतीस",
  "छत्तीस",
  "सैंतीस",
  "अड़तीस",
  "उनतालीस",
  "चालीस",
  "इकतालीस",
  "बयालीस",
  "तैंतालीस",
  "चवालीस",
  "पैंतालीस",
  "छियालीस",
  "सैंतालीस",
  "अड़तालीस",
  "उनचास",
  "पचास",
  "इक्यावन",
  "बावन",
  "तिरेपन",
  "चौवन",
  "पचपन",
  "छप्पन",
  "सत्तावन",
  "अट्ठावन",
  "उनसठ",
  "साठ",
  "इकसठ",
  "बासठ",
  "तिरेसठ",
  "चौंसठ",
  "पैंसठ",
  "छियासठ",
  "सड़सठ",
  "अड़सठ",
  "उनहत्तर",
  "सत्तर",
  "इकहत्तर",
  "बहत्तर",
  "तिहत्तर",
  "चौहत्तर",
  "पचहत्तर",
  "छिहत्तर",
  "सतहत्तर",
  "अठहत्तर",
  "उनासी",
  "अस्सी",
  "इक्यासी",
  "बयासी",
  "तिरासी",
  "चौरासी",
  "पचासी",
  "छियासी",
  "सत्तासी",
  "अट्ठासी",
  "नवासी",
  "नब्बे",
  "इक्यानवे",
  "बानवे",
  "तिरानवे",
  "चौरानवे",
  "पंचानवे",
  "छियानवे",
  "सत्तानवे",
  "अट्ठानवे",
  "निन्यानवे",
];

/** Indian scales, largest first: value and word. */
const SCALES: Array<[bigint, string]> = [
  [10n ** 11n, "खरब"],
  [10n ** 9n, "अरब"],
  [10n ** 7n, "करोड़"],
  [10n ** 5n, "लाख"],
  [1000n, "हज़ार"],
  [100n, "सौ"],
];
export const MAX_CARDINAL_DIGITS = 15;

const DIGITS = "०१२३४५६७८९";

/** Devanagari digits to ASCII, one for one (offsets stay the same). */
export function asciiDigits(s: string): string {
  return s.replace(/[०-९]/g, (d) => String(DIGITS.indexOf(d)));
}

function say(n: bigint): string[] {
  if (n < 100n) return [BELOW_100[Number(n)]!];
  // 1100..1999: by hundreds (ग्यारह सौ, उन्नीस सौ अट्ठानवे)
  if (n >= 1100n && n < 2000n) {
    const r = n % 100n;
    return [BELOW_100[Number(n / 100n)]!, "सौ", ...(r ? [BELOW_100[Number(r)]!] : [])];
  }
  const out: string[] = [];
  let rest = n;
  for (const [v, w] of SCALES) {
    if (rest >= v) {
      out.push(...say(rest / v), w);
      rest %= v;
    }
  }
  if (rest) out.push(BELOW_100[Number(rest)]!);
  return out;
}

/** A string of ASCII digits as a cardinal ("007" reads seven; more than 15 digits: one by one). */
export function cardinal(digits: string): string[] {
  const d = digits.replace(/^0+(?=\d)/, "");
  if (d.length > MAX_CARDINAL_DIGITS) return digitByDigit(d);
  return say(BigInt(d));
}

export function digitByDigit(d: string): string[] {
  return [...d].filter((c) => /\d/.test(c)).map((c) => BELOW_100[Number(c)]!);
}

/** "3.14": तीन दशमलव एक चार (the part after the point is read digit by digit). */
export function decimal(intPart: string, frac: string): string[] {
  return [...cardinal(intPart || "0"), "दशमलव", ...digitByDigit(frac)];
}

/** Irregular ordinal stems (masculine -ा, feminine -ी, oblique -े). */
const ORDINAL_STEMS: Record<number, string> = { 1: "पहल", 2: "दूसर", 3: "तीसर", 4: "चौथ", 6: "छठ" };

/**
 * The ordinal: 1 पहला, 2 दूसरा, 3 तीसरा, 4 चौथा, 6 छठा, else the cardinal + वाँ
 * (पाँचवाँ). `ending`: "ा" masculine, "ी" feminine (पाँचवीं), "े" oblique (पाँचवें).
 */
export function ordinal(digits: string, ending: "ा" | "ी" | "े" = "ा"): string[] {
  const n = Number(digits);
  const stem = ORDINAL_STEMS[n];
  if (stem && digits.length <= 2) return [stem + ending];
  const words = cardinal(digits);
  const tail = ending === "ा" ? "वाँ" : ending === "ी" ? "वीं" : "वें";
  return [...words.slice(0, -1), words.at(-1)! + tail];
}
