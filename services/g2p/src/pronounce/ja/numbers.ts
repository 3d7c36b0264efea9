/**
 * Japanese numbers and counters in kana. The analyser reads 三百 as サン ヒャク
 * and 一本 as イチ ホン, morpheme by morpheme; spoken Japanese joins them with
 * sound changes: さんびゃく, ろっぴゃく, はっせん, いっぽん, さんぼん, じゅっぷん,
 * and irregular day and people counts (ついたち, ふつか, ひとり, ふたり). So a
 * word that is a number in characters (what normalisation writes for "25",
 * "3本", "10分") with an optional counter is read here instead.
 */

const DIGIT_VALUE: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNIT: Record<string, bigint> = { 万: 10n ** 4n, 億: 10n ** 8n, 兆: 10n ** 12n, 京: 10n ** 16n };

export interface KanjiNumber {
  negative: boolean;
  /** The whole part, or undefined when the figures are read one by one ("〇九〇"). */
  int?: bigint;
  /** Figures read one by one: after 点, or a string of plain figures. */
  digits?: string;
  frac?: string;
}

/** Parses a number written in characters ("二千二十五", "三点一四", "マイナス五", "〇九〇"); undefined otherwise. */
export function parseKanjiNumber(s: string): KanjiNumber | undefined {
  let t = s;
  let negative = false;
  if (t.startsWith("マイナス")) {
    negative = true;
    t = t.slice(4);
  }
  if (t === "ゼロ") return { negative, int: 0n };
  if (!t || !/^[〇零一二三四五六七八九十百千万億兆京]+(点[〇零一二三四五六七八九]+)?$/u.test(t))
    return undefined;
  const [intPart, frac] = t.split("点") as [string, string | undefined];
  // plain figures in a row ("二〇二五", "〇九〇"): read one by one
  if (intPart.length > 1 && /^[〇零一二三四五六七八九]+$/u.test(intPart))
    return { negative, digits: intPart, ...(frac ? { frac } : {}) };
  let total = 0n;
  let section = 0;
  let digit = -1;
  for (const ch of intPart) {
    if (ch in DIGIT_VALUE) {
      if (digit >= 0) return undefined; // two figures in a row inside a number with units
      digit = DIGIT_VALUE[ch]!;
    } else if (ch in SMALL_UNIT) {
      section += (digit < 0 ? 1 : digit) * SMALL_UNIT[ch]!;
      digit = -1;
    } else {
      const unit = BIG_UNIT[ch]!;
      const n = section + Math.max(0, digit);
      total += BigInt(n === 0 ? 1 : n) * unit;
      section = 0;
      digit = -1;
    }
  }
  total += BigInt(section + Math.max(0, digit));
  return { negative, int: total, ...(frac ? { frac } : {}) };
}

/** The kana of each figure said alone (after 点, phone numbers). */
const FIGURE = ["ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう"];

/** A spoken number: its kana, and the last element said (its value), which decides the counter's sound changes. */
export interface SaidNumber {
  kana: string;
  /** 1..9 a figure, 10, 100, 1000 a unit said last, 10000+ a big unit; -1 for figures said one by one. */
  last: number;
}

const HUNDREDS: Record<number, string> = { 1: "ひゃく", 3: "さんびゃく", 6: "ろっぴゃく", 8: "はっぴゃく" };
const THOUSANDS: Record<number, string> = { 1: "せん", 3: "さんぜん", 8: "はっせん" };

function sayGroup(n: number): SaidNumber {
  let kana = "";
  let last = 0;
  const th = Math.floor(n / 1000);
  const hu = Math.floor(n / 100) % 10;
  const te = Math.floor(n / 10) % 10;
  const on = n % 10;
  if (th) {
    kana += THOUSANDS[th] ?? FIGURE[th] + "せん";
    last = 1000;
  }
  if (hu) {
    kana += HUNDREDS[hu] ?? FIGURE[hu] + "ひゃく";
    last = 100;
  }
  if (te) {
    kana += (te === 1 ? "" : FIGURE[te]) + "じゅう";
    last = 10;
  }
  if (on) {
    kana += FIGURE[on];
    last = on;
  }
  return { kana, last };
}

const BIG_KANA: Array<[bigint, string]> = [
  [10n ** 16n, "けい"],
  [10n ** 12n, "ちょう"],
  [10n ** 8n, "おく"],
  [10n ** 4n, "まん"],
];

/** A whole number in kana with sound changes (さんびゃく, はっせん, いっちょう). */
export function sayInteger(n: bigint): SaidNumber {
  if (n === 0n) return { kana: "ぜろ", last: 0 };
  let kana = "";
  let last = 0;
  let rest = n;
  for (const [unit, name] of BIG_KANA) {
    if (rest < unit) continue;
    const g = Number(rest / unit);
    rest %= unit;
    const said = sayGroup(g);
    let k = said.kana;
    // いっちょう, はっちょう, じゅっちょう; いっけい, はっけい
    if ((name === "ちょう" || name === "けい") && [1, 8, 10].includes(said.last)) k = geminate(k, said.last);
    kana += k + name;
    last = Number(unit);
  }
  if (rest > 0n) {
    const said = sayGroup(Number(rest));
    kana += said.kana;
    last = said.last;
  }
  return { kana, last };
}

/** The last element made a small っ (いち -> いっ, ろく -> ろっ, はち -> はっ, じゅう -> じゅっ, ひゃく -> ひゃっ). */
function geminate(kana: string, last: number): string {
  const ends: Record<number, [string, string]> = {
    1: ["いち", "いっ"],
    6: ["ろく", "ろっ"],
    8: ["はち", "はっ"],
    10: ["じゅう", "じゅっ"],
    100: ["ひゃく", "ひゃっ"],
  };
  const e = ends[last];
  return e && kana.endsWith(e[0]) ? kana.slice(0, -e[0].length) + e[1] : kana;
}

type Kind = "h" | "fun" | "k" | "s" | "t" | "p" | "plain";
interface Counter {
  kana: string;
  kind: Kind;
  /** Readings of the figure 4, 7 and 9 before this counter, when not よん, なな, きゅう. */
  four?: string;
  seven?: string;
  nine?: string;
  /** Whole-number readings (ついたち, ひとり). */
  special?: Record<number, string>;
  /** After 3 (and ん), the counter's onset is voiced (さんぼん, さんがい). */
  afterN?: string;
}

const DAYS: Record<number, string> = {
  1: "ついたち",
  2: "ふつか",
  3: "みっか",
  4: "よっか",
  5: "いつか",
  6: "むいか",
  7: "なのか",
  8: "ようか",
  9: "ここのか",
  10: "とおか",
  14: "じゅうよっか",
  20: "はつか",
  24: "にじゅうよっか",
};

export const COUNTERS: Record<string, Counter> = {
  円: { kana: "えん", kind: "plain", four: "よ" },
  日: { kana: "にち", kind: "plain", special: DAYS },
  日間: { kana: "にちかん", kind: "plain", special: { 1: "いちにち", 2: "ふつかかん", 3: "みっかかん" } },
  月: { kana: "がつ", kind: "plain", four: "し", seven: "しち", nine: "く" },
  年: { kana: "ねん", kind: "plain", four: "よ" },
  年間: { kana: "ねんかん", kind: "plain", four: "よ" },
  時: { kana: "じ", kind: "plain", four: "よ", seven: "しち", nine: "く" },
  時間: { kana: "じかん", kind: "plain", four: "よ", nine: "く" },
  分: { kana: "ふん", kind: "fun" },
  分間: { kana: "ふんかん", kind: "fun" },
  秒: { kana: "びょう", kind: "plain" },
  人: { kana: "にん", kind: "plain", four: "よ", special: { 1: "ひとり", 2: "ふたり" } },
  度: { kana: "ど", kind: "plain" },
  倍: { kana: "ばい", kind: "plain" },
  番: { kana: "ばん", kind: "plain" },
  位: { kana: "い", kind: "plain" },
  枚: { kana: "まい", kind: "plain" },
  台: { kana: "だい", kind: "plain" },
  号: { kana: "ごう", kind: "plain" },
  歳: { kana: "さい", kind: "s", special: { 20: "はたち" } },
  才: { kana: "さい", kind: "s", special: { 20: "はたち" } },
  冊: { kana: "さつ", kind: "s" },
  週: { kana: "しゅう", kind: "s" },
  週間: { kana: "しゅうかん", kind: "s" },
  本: { kana: "ほん", kind: "h", afterN: "ぼん" },
  匹: { kana: "ひき", kind: "h", afterN: "びき" },
  杯: { kana: "はい", kind: "h", afterN: "ばい" },
  泊: { kana: "はく", kind: "h", afterN: "ぱく" },
  回: { kana: "かい", kind: "k" },
  階: { kana: "かい", kind: "k", afterN: "がい" },
  個: { kana: "こ", kind: "k" },
  件: { kana: "けん", kind: "k" },
  ヶ月: { kana: "かげつ", kind: "k" },
  か月: { kana: "かげつ", kind: "k" },
  カ月: { kana: "かげつ", kind: "k" },
  頭: { kana: "とう", kind: "t" },
  点: { kana: "てん", kind: "t" },
  通: { kana: "つう", kind: "t" },
};

/** Units written in katakana after a number: read as kana, with っ before p (いっパーセント). */
function katakanaCounter(s: string): Counter | undefined {
  if (!/^[\u30A0-\u30FFー]+$/u.test(s)) return undefined;
  const kana = s;
  return { kana, kind: /^[パピプペポ]/u.test(s) ? "p" : "plain" };
}

/** Which last elements take a small っ before the counter. */
const GEMINATE: Record<Kind, number[]> = {
  h: [1, 6, 8, 10, 100],
  fun: [1, 6, 8, 10, 100],
  k: [1, 6, 8, 10, 100],
  p: [1, 6, 8, 10, 100],
  s: [1, 8, 10],
  t: [1, 8, 10],
  plain: [],
};

/** The counter's own onset after a small っ: ほん -> ぽん, ふん -> ぷん. */
function afterSokuon(c: Counter): string {
  if (c.kind === "h" || c.kind === "fun") return toP(c.kana);
  return c.kana;
}
function toP(kana: string): string {
  const map: Record<string, string> = { は: "ぱ", ひ: "ぴ", ふ: "ぷ", へ: "ぺ", ほ: "ぽ" };
  return (map[kana[0]!] ?? kana[0]!) + kana.slice(1);
}

/** Replaces the figure 4, 7 or 9 said last (よん, なな, きゅう) by the counter's own reading of it. */
function figureReading(said: SaidNumber, c: Counter): string {
  const swap: Record<number, [string, string | undefined]> = {
    4: ["よん", c.four],
    7: ["なな", c.seven],
    9: ["きゅう", c.nine],
  };
  const s = swap[said.last];
  if (s && s[1] && said.kana.endsWith(s[0])) return said.kana.slice(0, -s[0].length) + s[1];
  return said.kana;
}

/** A number with a counter in kana ("三", "本" -> さんぼん; "一", "日" -> ついたち). */
export function sayCounted(n: bigint, counterText: string): string | undefined {
  const c = COUNTERS[counterText] ?? katakanaCounter(counterText);
  if (!c) return undefined;
  const special = c.special?.[Number(n)];
  if (special && n < 100n) return special;
  const said = sayInteger(n);
  if (GEMINATE[c.kind].includes(said.last)) return geminate(said.kana, said.last) + afterSokuon(c);
  if (c.kind === "fun" && (said.last === 3 || said.last === 4 || said.last >= 1000))
    return said.kana + "ぷん";
  if (c.afterN && (said.last === 3 || said.last === 1000 || said.last >= 10000)) return said.kana + c.afterN;
  return figureReading(said, c) + c.kana;
}

/** Figures said one by one ("〇九〇" -> ぜろきゅうぜろ). */
function sayDigits(s: string): string {
  return [...s].map((ch) => FIGURE[DIGIT_VALUE[ch] ?? 0]).join("");
}

const COUNTER_RE = new RegExp(
  `^(第)?(マイナス)?([〇零一二三四五六七八九十百千万億兆京]+(?:点[〇零一二三四五六七八九]+)?|ゼロ)(${Object.keys(
    COUNTERS,
  )
    .sort((a, b) => b.length - a.length)
    .join("|")}|[\\u30A0-\\u30FF][\\u30A0-\\u30FFー]*)?$`,
  "u",
);

/** Long vowels as the analyser writes pronunciations (じゅう -> じゅー, とおか -> とーか), so numbers sound like words. */
export function asPronounced(kana: string): string {
  return kana
    .replace(/(?<=[おこごそぞとどのほぼぽもよょろうくぐすずつづぬふぶぷむゆゅる])う/gu, "ー")
    .replace(/(?<=[とこ])お/gu, "ー")
    .replace(/(?<=け)い/gu, "ー");
}

/**
 * A word that is a number in characters with an optional counter (第 before
 * it: 第三回), read in kana; undefined for anything else (一緒, 十分, 一人前 go
 * to the analyser).
 */
export function readNumberWord(word: string): string | undefined {
  const kana = readNumberKana(word);
  return kana === undefined ? undefined : asPronounced(kana);
}

function readNumberKana(word: string): string | undefined {
  const m = COUNTER_RE.exec(word);
  if (!m) return undefined;
  const [, dai, minus, num, counter] = m;
  const parsed = parseKanjiNumber((minus ?? "") + num!);
  if (!parsed) return undefined;
  let kana = dai ? "だい" : "";
  if (parsed.negative) kana += "まいなす";
  if (parsed.digits !== undefined) {
    kana += sayDigits(parsed.digits);
    if (parsed.frac) kana += "てん" + sayDigits(parsed.frac);
    return counter ? kana + (COUNTERS[counter]?.kana ?? counter) : kana;
  }
  const int = parsed.int!;
  if (parsed.frac) {
    kana += (int === 0n ? "れい" : sayInteger(int).kana) + "てん" + sayDigits(parsed.frac);
    if (counter) kana += COUNTERS[counter]?.kana ?? counter;
    return kana;
  }
  if (counter) {
    const said = sayCounted(int, counter);
    return said === undefined ? undefined : kana + said;
  }
  return kana + sayInteger(int).kana;
}
