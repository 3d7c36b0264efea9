/**
 * Figures inside Chinese or Japanese text, written out in characters the way each language says
 * them, with where every written character came from (so the words cut from the result keep the
 * input's spans):
 *
 *   ja  25 二十五 · 2024年12月5日 二千二十四年十二月五日 · 14:30 十四時三十分 · ¥1,000 / 1,000円 千円
 *       · 25% 二十五パーセント · 3.5 三点五 · 2024/12/05 二千二十四年十二月五日
 *   zh  25 二十五 · 2024年 二零二四年 (a year digit by digit) · 2本 两本 · 14:30 十四点三十分 · ¥25 / 25元 二十五元
 *       · $5 五美元 · 25% 百分之二十五 · 3.5 三点五 · 2024-12-05 二零二四年十二月五日
 *
 * The words are written, not read: the language's G2P says 三百 as さんびゃく (ja) or sān bǎi (zh),
 * and reads a number with its counter (五日 いつか) itself.
 */
import { asciiDigits, decimalWords, digitWords, integerWords, type CjkLang } from "./numerals";

export interface Rewritten {
  /** The text with its figures in characters. */
  text: string;
  /** For each character of `text`, the span of the input it stands for. */
  from: Array<[start: number, end: number]>;
  /** For each character of `text`: written from a figure. */
  figure: boolean[];
}

const CURRENCY: Record<string, { ja: string; zh: string }> = {
  "¥": { ja: "円", zh: "元" },
  "￥": { ja: "円", zh: "元" },
  $: { ja: "ドル", zh: "美元" },
  "€": { ja: "ユーロ", zh: "欧元" },
  "£": { ja: "ポンド", zh: "英镑" },
};

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
/** One figure expression, tried in this order (dates and times before plain numbers). */
const FIGURE = new RegExp(
  String.raw`(?<date>(?<y>\d{4})[/\-](?<mo>\d{1,2})[/\-](?<d>\d{1,2}))` +
    String.raw`|(?<time>(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?)` +
    String.raw`|(?<cur>[¥￥$€£])\s?(?<amount>${NUMBER})` +
    String.raw`|(?<neg>[-−])?(?<num>${NUMBER})(?<pct>[%％])?`,
  "gu",
);

const int = (s: string, lang: CjkLang) => integerWords(BigInt(s), lang);

/** Mandarin measure words before which 2 is 两 (两个, 两本), not 二. */
const MEASURE_WORDS = new Set([
  ..."个本张只条件位台次块辆双对家间门部片句岁杯瓶碗把支架头匹棵朵封份篇首层周天",
]);

/** What a figure expression says, in characters. */
function say(g: Record<string, string | undefined>, after: string, lang: CjkLang): string {
  if (g.date) {
    const year = lang === "zh" ? digitWords(g.y!, lang) : int(g.y!, lang);
    return `${year}年${int(g.mo!, lang)}月${int(g.d!, lang)}日`;
  }
  if (g.time) {
    const h = int(g.h!, lang);
    const m = Number(g.mi);
    const sec = g.s !== undefined && Number(g.s) ? `${int(g.s, lang)}秒` : "";
    if (lang === "ja") return `${h}時${m ? `${int(g.mi!, lang)}分` : ""}${sec}`;
    return `${h}点${m ? `${m < 10 ? "零" : ""}${int(g.mi!, lang)}分` : ""}${sec}`;
  }
  if (g.cur) return decimalWords(g.amount!, lang) + CURRENCY[g.cur]![lang];
  const n = (g.neg ? "-" : "") + g.num!;
  // a year before 年 in Mandarin is read digit by digit (二零二四年)
  if (lang === "zh" && /^\d{2,4}$/.test(g.num!) && after.startsWith("年") && !g.neg)
    return digitWords(g.num!, lang);
  if (lang === "zh" && g.num === "2" && !g.neg && !g.pct && MEASURE_WORDS.has(after[0] ?? "")) return "两";
  const words = /[.,]/.test(g.num!) ? decimalWords(n, lang) : int(n.replace("−", "-"), lang);
  if (g.pct) return lang === "ja" ? `${words}パーセント` : `百分之${words}`;
  return words;
}

/** `text` (a piece of a Chinese or Japanese run, offsets from `base`) with its figures in characters. */
export function rewriteFigures(text: string, base: number, lang: CjkLang): Rewritten {
  const plain = asciiDigits(text);
  const out: Rewritten = { text: "", from: [], figure: [] };
  let last = 0;
  const keep = (a: number, b: number) => {
    for (let i = a; i < b; i++) {
      out.text += text[i];
      out.from.push([base + i, base + i + 1]);
      out.figure.push(false);
    }
  };
  for (const m of plain.matchAll(FIGURE)) {
    const start = m.index!;
    const end = start + m[0].length;
    keep(last, start);
    const said = say(m.groups!, plain.slice(end), lang);
    for (let k = 0; k < said.length; k++) {
      out.text += said[k];
      out.from.push([base + start, base + end]);
      out.figure.push(true);
    }
    last = end;
  }
  keep(last, text.length);
  return out;
}
