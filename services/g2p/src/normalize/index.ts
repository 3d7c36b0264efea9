/**
 * Written text -> spoken words, keeping for every output word the span of the
 * input it came from. English (en-us, en-gb). Pure: the only outside knowledge
 * is `opts.known` (does the lexicon have this exact spelling).
 */
import { ABBREVIATIONS, BARE_ABBREVIATIONS, CURRENCIES, HEADING_WORDS, MONTH_ABBR, MONTHS, PUNCT, REGNAL_NAMES, SCALE_SUFFIX, SYMBOL_WORDS, UNITS } from "./symbols";
import { cardinal, decimal, digitByDigit, fraction, ordinal, ordinalWord, romanValue, year, yearPlural } from "./numbers";
import { scan, isSilentChar, type Piece } from "./scan";
import type { Brk, Item, NormalizeOptions, WordItem } from "./types";

export type { Item, WordItem, PunctItem, SilentItem, PauseItem, NormalizeOptions, Brk } from "./types";

/** Longest piece of a single word we pronounce as one; longer runs are cut (1 MB of one word stays bounded). */
export const MAX_WORD_CHARS = 40;

const LETTERS = "\\p{L}\\p{M}";
const RE_WORD = new RegExp(`^[${LETTERS}](?:[${LETTERS}'’\\u00AD\\u200B-\\u200D\\u2060]|-(?=[${LETTERS}]))*$`, "u");
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+`;
const RE_NUMBER = new RegExp(`^(${NUM})$`);
const RE_MONEY = new RegExp(`^([-−])?(US\\$|[$£€¥₹])(${NUM})(?:\\s?(k|K|m|M|mn|mln|b|B|bn|tn|T))?$`);
const RE_MONEY_AFTER = new RegExp(`^([-−])?(${NUM})(?:\\s?(k|K|M|mn|bn|tn))?([$£€¥₹])$`);
const RE_PERCENT = new RegExp(`^([-−+])?(${NUM})%$`);
const RE_DEGREES = new RegExp(`^([-−])?(${NUM})°\\s?([CFK])?$`);
const RE_ORDINAL = /^(\d+)(st|nd|rd|th|ST|ND|RD|TH)$/;
const RE_YEARS = /^(\d{4})['’]?s$/;
const RE_SHORT_YEARS = /^['’](\d{2})s$|^(\d0)s$/;
const RE_MONEY_PER = new RegExp(`^(US\\$|[$£€¥₹])(${NUM})/(\\p{L}+)$`, "u");
const RE_RATING = /^(\d+\.\d+)\/(\d+)$/;
const RE_ORDINAL_COMPOUND = /^(\d+)(st|nd|rd|th)-(\p{L}[\p{L}-]*)$/u;
const RE_INITIALISM_POSSESSIVE = /^((?:\p{L}\.){2,})['’]s$/u;
const RE_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([ap])\.?m\.?)?$/i;
const RE_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RE_NUM_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$/;
const RE_FRACTION = /^(\d{1,3})\/(\d{1,3})$/;
const RE_RANGE = new RegExp(`^(${NUM})\\s?[-–—]\\s?(${NUM})(%|°[CFK]?|[a-zA-Z/]+)?$`);
const RE_SCALED = new RegExp(`^(${NUM})(k|K|M|mn|mln|bn|tn)$`);
const RE_UNIT_ATTACHED = new RegExp(`^(${NUM})([a-zA-Zµ]+(?:/[a-zA-Z]+)?)$`);
const RE_HOUR_AMPM = /^(\d{1,2})([ap])\.?m\.?$/i;
const RE_PHONE = /^\+?(\d{1,3}[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}$|^\d{3}-\d{4}$/;
const RE_VERSION = /^v?\d+(\.\d+){2,}$/;
const RE_DIMENSIONS = /^(\d+)[x×](\d+)$/;
const RE_URL = /^(?:(?:https?|ftp):\/\/|www\.)[^\s]+$|^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|ai|dev|co|uk|us|de|fr|app|info|me|tv|ly|gg|xyz)(?:\/[^\s]*)?$/i;
const RE_EMAIL = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
const RE_HASHTAG = /^#([\p{L}\p{N}_]+)$/u;
const RE_HANDLE = /^@([\w_]+)$/;
const RE_INITIALISM = /^(?:\p{L}\.){2,}$/u;
const RE_FEET_INCHES = /^(\d{1,2})['’](?:(\d{1,2})(?:"|''|”)?)?$/;
const RE_RATIO = /^(\d{1,3}):(\d{1,3})$/;
const RE_NEG_NUMBER = new RegExp(`^[-−](${NUM})$`);

const YEAR_CONTEXT = new Set("in since of by from until till to year circa c ca around before after during early late mid summer winter spring autumn fall class between".split(" "));

interface Run {
  start: number;
  end: number;
  text: string;
}

class Normalizer {
  private readonly out: Item[] = [];
  private readonly pieces: Piece[];
  private i = 0;
  private readonly shouting: boolean;

  constructor(
    private readonly text: string,
    private readonly opts: NormalizeOptions,
    from = 0,
    to = text.length,
  ) {
    this.pieces = scan(text, from, to);
    const letters = text.slice(0, 5000).replace(/[^\p{L}]/gu, "");
    const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
    this.shouting = letters.length >= 12 && upper / letters.length > 0.7;
  }

  run(): Item[] {
    while (this.i < this.pieces.length) {
      const p = this.pieces[this.i++]!;
      if (p.kind === "pause") this.out.push({ kind: "pause", start: p.start, end: p.end, seconds: p.seconds });
      else if (p.kind === "silent") this.out.push({ kind: "silent", start: p.start, end: p.end });
      else if (p.kind === "forced") this.out.push({ kind: "word", start: p.start, end: p.end, words: [p.text], phonemes: p.phonemes });
      else this.doRun(p);
    }
    return this.out;
  }

  // ---- helpers ----------------------------------------------------------

  private word(start: number, end: number, words: string[]) {
    if (words.length) this.out.push({ kind: "word", start, end, words });
    else this.out.push({ kind: "silent", start, end });
  }

  /** `opening`: a straight quote at the start of a word opens (attaches to the next word). */
  private punct(start: number, end: number, ch: string, opening = false) {
    const p = PUNCT[ch];
    if (p) this.out.push({ kind: "punct", start, end, ph: p.ph, brk: p.brk, ...(p.opening || opening ? { opening: true } : {}) });
    else this.out.push({ kind: "silent", start, end });
  }

  /** The next run, when nothing but spaces separates it from the current one. */
  private peekRun(k = 0): Run | undefined {
    const p = this.pieces[this.i + k];
    return p?.kind === "run" ? p : undefined;
  }

  /** The previous spoken word (lowercase), for context rules. */
  private prevWord(): string | undefined {
    for (let j = this.out.length - 1; j >= 0; j--) {
      const it = this.out[j]!;
      if (it.kind === "word") return it.words[it.words.length - 1]?.toLowerCase();
      if (it.kind === "punct" && it.brk >= 2) return undefined;
      if (it.kind === "pause") return undefined;
    }
    return undefined;
  }

  private prevWordItem(): WordItem | undefined {
    const it = this.out[this.out.length - 1];
    return it?.kind === "word" ? it : undefined;
  }

  /** Is the previous item the end of a sentence (or nothing)? */
  private atSentenceStart(): boolean {
    for (let j = this.out.length - 1; j >= 0; j--) {
      const it = this.out[j]!;
      if (it.kind === "silent" || (it.kind === "punct" && it.brk === 0)) continue;
      return it.kind === "pause" || (it.kind === "punct" && it.brk === 3);
    }
    return true;
  }

  // ---- runs ---------------------------------------------------------------

  private doRun(r: Run) {
    const t = r.text;
    // leading marks
    let s = 0;
    while (s < t.length) {
      const ch = t[s]!;
      if ((ch === "'" || ch === "’") && /^['’](\d{2}s|n['’]$|em$|til$|cause$|bout$|tis$|twas$)/i.test(t.slice(s))) break;
      if (ch === "-" || ch === "−") {
        if (/\d|\.\d|\$|£|€/.test(t[s + 1] ?? "")) break;
      }
      if (ch === "." && /^\.\d/.test(t.slice(s))) break;
      if (PUNCT[ch] !== undefined && ch !== "." && !(ch === "-" && t.length === 1)) {
        this.punct(r.start + s, r.start + s + 1, ch, (ch === '"' || ch === "'") && s + 1 < t.length);
        s++;
        continue;
      }
      if (ch === "." || (ch === "-" && s < t.length)) {
        // "...word", "--word", a lone "-" or "."
        let j = s;
        while (j < t.length && t[j] === ch) j++;
        const mark = ch === "." ? (j - s >= 2 ? "…" : ".") : "—";
        this.punct(r.start + s, r.start + j, mark);
        s = j;
        continue;
      }
      break;
    }
    // trailing marks
    let e = t.length;
    const trail: Array<[number, number, string]> = [];
    while (e > s) {
      const ch = t[e - 1]!;
      if (ch === "." && e - 3 >= s && t.slice(e - 3, e) === "...") {
        trail.unshift([e - 3, e, "…"]);
        e -= 3;
        continue;
      }
      if (PUNCT[ch] !== undefined && ch !== "-" && ch !== "'" && ch !== "’") {
        trail.unshift([e - 1, e, ch]);
        e--;
        continue;
      }
      if ((ch === "'" || ch === "’") && e - 1 > s && !/in$/i.test(t.slice(s, e - 1)) && !/^['’]n$/.test(t.slice(s, e - 1))) {
        // closing single quote, or plural possessive ("students'"): silent mark
        trail.unshift([e - 1, e, "'"]);
        e--;
        continue;
      }
      if (ch === "-" && e - 1 > s && t[e - 2] === "-") {
        trail.unshift([e - 2, e, "—"]);
        e -= 2;
        continue;
      }
      break;
    }
    // a period that belongs to the word ("Dr.", "U.S.", "etc.")
    let endsSentence = false;
    if (trail.length && trail[0]![2] === ".") {
      const withDot = t.slice(s, e + 1);
      const key = withDot.toLowerCase();
      let abbr = ABBREVIATIONS[key];
      // "No." before a number is "number"; elsewhere it is the word "no" and its period ends the sentence
      if ((key === "no." || key === "nos.") && !/^#?\d/.test(this.peekRun()?.text ?? "")) abbr = undefined;
      if (abbr || RE_INITIALISM.test(withDot) || (/^\p{Lu}$/u.test(t.slice(s, e)) && this.looksLikeInitial())) {
        e++;
        trail.shift();
        // does the sentence end here too? ("... etc. Then", "in the U.S. The")
        const next = this.peekRun();
        const nextCap = next ? /^["“(]?\p{Lu}/u.test(next.text) : true;
        if (!trail.some(([, , c]) => PUNCT[c]?.brk === 3)) {
          if (abbr?.end && nextCap) endsSentence = true;
          else if (!abbr && RE_INITIALISM.test(withDot) && (!next || (nextCap && !/^\p{Lu}\.?$/u.test(next.text)))) endsSentence = true;
          else if (abbr && !abbr.title && !next) endsSentence = true;
        }
      }
    }
    if (e > s) this.core(t.slice(s, e), r.start + s, endsSentence, trail.length > 0);
    if (endsSentence) this.out.push({ kind: "punct", start: r.start + e, end: r.start + e, ph: ".", brk: 3 });
    for (const [a, b, ch] of trail) {
      if (ch === "…") this.out.push({ kind: "punct", start: r.start + a, end: r.start + b, ph: "…", brk: 3 });
      else this.punct(r.start + a, r.start + b, ch);
    }
  }

  /** Heuristic: a capitalised word that is not a common sentence opener. */
  private isName(text: string | undefined): boolean {
    if (!text) return false;
    const w = text.replace(/[^\p{L}]/gu, "");
    return /^\p{Lu}\p{Ll}+$/u.test(w) && !this.opts.known(w.toLowerCase());
  }

  /** A single capital with a period ("J. Smith"): an initial, not a sentence end. */
  private looksLikeInitial(): boolean {
    const next = this.peekRun();
    return !!next && /^\p{Lu}/u.test(next.text);
  }

  /** `followedByMark`: a punctuation mark ends the run, so no lookahead across it. */
  private core(c: string, start: number, endsSentence: boolean, followedByMark: boolean) {
    const end = start + c.length;
    const canLook = !followedByMark && !endsSentence;
    // long runs of one word: cut into pieces we can pronounce
    if (c.length > MAX_WORD_CHARS * 2 && !(c.length <= 200 && (RE_URL.test(c) || RE_EMAIL.test(c)))) {
      for (let k = 0; k < c.length; k += MAX_WORD_CHARS) {
        let kEnd = Math.min(c.length, k + MAX_WORD_CHARS);
        if (kEnd < c.length && /[\uD800-\uDBFF]/.test(c[kEnd - 1]!)) kEnd++;
        this.split(c.slice(k, kEnd), start + k);
        k = kEnd - MAX_WORD_CHARS;
      }
      return;
    }
    if (RE_EMAIL.test(c)) return this.word(start, end, this.email(c));
    if (RE_URL.test(c) && /[./]/.test(c) && !/^\d/.test(c)) return this.word(start, end, this.url(c));
    let m: RegExpExecArray | null;
    if ((m = RE_HASHTAG.exec(c))) return this.word(start, end, /^\d+$/.test(m[1]!) ? ["number", ...cardinal(m[1]!)] : ["hashtag", ...this.splitName(m[1]!)]);
    if ((m = RE_HANDLE.exec(c))) return this.word(start, end, ["at", ...this.splitName(m[1]!)]);
    if ((m = RE_MONEY.exec(c))) {
      // "$3 million": the scale word comes first when said
      const next = canLook && !m[4] ? this.peekRun() : undefined;
      const nextCore = next ? splitTrailing(next.text) : undefined;
      if (next && nextCore && /^(thousand|million|billion|trillion)$/i.test(nextCore.core)) {
        this.i++;
        this.word(start, end, [...(m[1] ? ["minus"] : []), ...this.num(m[3]!)]);
        this.word(next.start, next.start + nextCore.core.length, [nextCore.core.toLowerCase(), CURRENCIES[m[2]!]!.main[1]]);
        this.trailingMarks(next.start + nextCore.core.length, nextCore.trailing);
        return;
      }
      return this.word(start, end, this.money(m[1], m[2]!, m[3]!, m[4]));
    }
    if ((m = RE_MONEY_PER.exec(c))) return this.word(start, end, [...this.money(undefined, m[1]!, m[2]!, undefined), "per", m[3]!.toLowerCase() === "mo" ? "month" : m[3]!.toLowerCase() === "yr" ? "year" : m[3]!.toLowerCase() === "hr" ? "hour" : m[3]!]);
    if ((m = RE_RATING.exec(c))) return this.word(start, end, [...this.num(m[1]!), "out", "of", ...this.num(m[2]!)]);
    if ((m = RE_FEET_INCHES.exec(c))) return this.word(start, end, [...cardinal(m[1]!), m[1] === "1" ? "foot" : "feet", ...(m[2] ? [...cardinal(m[2]), m[2] === "1" ? "inch" : "inches"] : [])]);
    if ((m = RE_RATIO.exec(c)) && !RE_TIME.test(c)) return this.word(start, end, [...this.num(m[1]!), "to", ...this.num(m[2]!)]);
    if ((m = RE_MONEY_AFTER.exec(c))) return this.word(start, end, this.money(m[1], m[4]!, m[2]!, m[3]));
    if ((m = RE_PERCENT.exec(c))) return this.word(start, end, [...sign(m[1]), ...this.num(m[2]!), "percent"]);
    if ((m = RE_DEGREES.exec(c))) return this.word(start, end, [...sign(m[1]), ...this.num(m[2]!), m[2] === "1" ? "degree" : "degrees", ...(m[3] ? [{ C: "Celsius", F: "Fahrenheit", K: "Kelvin" }[m[3]]!] : [])]);
    if ((m = RE_TIME.exec(c))) return this.time(m, start, end, canLook);
    if ((m = RE_HOUR_AMPM.exec(c))) return this.word(start, end, [...cardinal(m[1]!), m[2]!.toUpperCase(), "M"]);
    if ((m = RE_ISO_DATE.exec(c)) && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31)
      return this.word(start, end, this.date(Number(m[1]), Number(m[2]), Number(m[3])));
    if ((m = RE_NUM_DATE.exec(c))) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      let y = Number(m[3]);
      if (m[3]!.length === 2) y += y < 50 ? 2000 : 1900;
      const [mo, d] = this.opts.dialect === "gb" ? (b <= 12 ? [b, a] : [a, b]) : a <= 12 ? [a, b] : [b, a];
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) return this.word(start, end, this.date(y, mo, d));
    }
    if (c === "24/7") return this.word(start, end, ["twenty-four", "seven"]);
    if ((m = RE_FRACTION.exec(c)) && Number(m[2]) > 0) {
      const den = Number(m[2]);
      // "3/4", "5/8", "1/100"; but "50/50", "9/11" are read as two numbers
      if ((den <= 10 || [12, 16, 32, 64, 100].includes(den)) && !(Number(m[1]) >= den && den > 4)) return this.word(start, end, fraction(m[1]!, m[2]!));
      return this.word(start, end, [...cardinal(m[1]!), ...cardinal(m[2]!)]);
    }
    if ((m = RE_ORDINAL.exec(c))) {
      this.word(start, end, ordinal(m[1]!, this.opts.dialect === "gb"));
      if (canLook) this.monthAfterDay(Number(m[1]));
      return;
    }
    if ((m = RE_YEARS.exec(c))) return this.word(start, end, yearPlural(m[1]!));
    if ((m = RE_SHORT_YEARS.exec(c))) return this.word(start, end, yearPlural(m[1] ?? m[2]!));
    if ((m = RE_ORDINAL_COMPOUND.exec(c))) return this.word(start, end, [...ordinal(m[1]!), ...m[3]!.split("-").filter(Boolean)]);
    if ((m = RE_INITIALISM_POSSESSIVE.exec(c))) {
      const letters = [...m[1]!.replace(/\./g, "")].map((ch) => ch.toUpperCase());
      letters[letters.length - 1] += "'s";
      return this.word(start, end, letters);
    }
    if (RE_PHONE.test(c)) return this.word(start, end, this.phone(c));
    if (RE_VERSION.test(c)) return this.word(start, end, this.version(c));
    if ((m = RE_DIMENSIONS.exec(c))) return this.word(start, end, [...(m[1]!.length === 4 ? year(m[1]!) : cardinal(m[1]!)), "by", ...(m[2]!.length === 4 ? year(m[2]!) : cardinal(m[2]!))]);
    if ((m = RE_RANGE.exec(c))) {
      const a = parseFloat(m[1]!.replace(/,/g, ""));
      const b = parseFloat(m[2]!.replace(/,/g, ""));
      const unit = m[3];
      const unitWords = unit === "%" ? ["percent"] : unit ? unitOf(unit) : undefined;
      if ((!unit || unitWords) && a < b) {
        const yearish = (x: string) => /^\d{4}$/.test(x) && Number(x) >= 1000 && Number(x) <= 2099;
        const say = (x: string) => (yearish(m![1]!) && yearish(m![2]!) ? year(x) : this.num(x));
        const words = [...say(m[1]!), "to", ...say(m[2]!)];
        if (unitWords) words.push(...(unit === "%" ? ["percent"] : this.unitWords(unitWords[1]!)));
        this.word(start, end, words);
        if (canLook && !unit) this.unitAfter(2);
        return;
      }
    }
    if ((m = RE_SCALED.exec(c))) return this.word(start, end, [...this.num(m[1]!), ...(m[2] === "K" ? ["K"] : [SCALE_SUFFIX[m[2]!]!])]); // "4K video", "10k steps"
    if ((m = RE_UNIT_ATTACHED.exec(c))) {
      const unit = unitOf(m[2]!);
      if (unit) return this.word(start, end, [...this.num(m[1]!), ...this.unitWords(m[1] === "1" ? unit[0] : unit[1])]);
    }
    if ((m = RE_NEG_NUMBER.exec(c))) return this.word(start, end, ["minus", ...this.num(m[1]!)]);
    if ((m = RE_NUMBER.exec(c))) return this.number(m[1]!, start, end, canLook);
    const lower = c.toLowerCase();
    const abbr = ABBREVIATIONS[lower];
    if (abbr) return this.abbreviation(c, lower, abbr.words, start, end, canLook);
    if (RE_INITIALISM.test(c)) return this.word(start, end, [...c.replace(/\./g, "")].map((ch) => ch.toUpperCase()));
    if (RE_WORD.test(c)) return this.letters(c, start, end, canLook);
    this.split(c, start);
  }

  /** Mixed text: letters, digits and symbols, each handled on its own. */
  private split(c: string, start: number) {
    const re = new RegExp(`([${LETTERS}](?:[${LETTERS}'’]|-(?=[${LETTERS}]))*)|(${NUM})|([\\s\\S])`, "gu");
    let m: RegExpExecArray | null;
    let prevKind = "";
    while ((m = re.exec(c))) {
      const s = start + m.index;
      const e = s + m[0].length;
      if (m[1] && /^s$/i.test(m[1]) && /['’]$/.test(c.slice(0, m.index)) && prevKind === "s") {
        // "COVID-19's": the possessive goes with the number before it
        const prevWord = [...this.out].reverse().find((it): it is WordItem => it.kind === "word");
        if (prevWord) {
          prevWord.words[prevWord.words.length - 1] += "'s";
          this.out.push({ kind: "silent", start: s, end: e });
          prevKind = "w";
          continue;
        }
      }
      if (m[1]) {
        // "mp3", "x86": short vowel-less letters next to digits are spelled
        if (m[1].length <= 4 && !/[aeiouy]/i.test(m[1]) && !BARE_ABBREVIATIONS[m[1].toLowerCase()] && /^\p{Script=Latin}+$/u.test(m[1]) && m[1].length > 1) this.word(s, e, this.spell(m[1]));
        else this.letters(m[1], s, e, false);
        prevKind = "w";
      } else if (m[2]) {
        this.word(s, e, this.num(m[2]));
        prevKind = "n";
      } else {
        const ch = m[3]!;
        const cp = c.codePointAt(m.index)!;
        if (cp > 0xffff && ch.length === 1) {
          // astral character: take both halves
          const full = String.fromCodePoint(cp);
          re.lastIndex = m.index + full.length;
          if (isSilentChar(full)) this.out.push({ kind: "silent", start: s, end: s + full.length });
          else this.word(s, s + full.length, this.symbolOrLetter(full));
          continue;
        }
        if (isSilentChar(ch)) this.out.push({ kind: "silent", start: s, end: e });
        else if (ch === "#" && /^\d/.test(c.slice(m.index + 1))) this.word(s, e, ["number"]);
        else if (ch === "-" || ch === "/" || ch === "'" || ch === "’" || ch === "_") {
          // joins words ("COVID-19", "and/or"): silent, no pause
          if (ch === "-" && prevKind === "" && /^\d/.test(c.slice(m.index + 1))) this.word(s, e, ["minus"]);
          else if (ch === "-" && prevKind === "n" && /^\d/.test(c.slice(m.index + 1))) this.word(s, e, ["to"]); // "#1-5"
          else this.out.push({ kind: "silent", start: s, end: e });
        } else if (SYMBOL_WORDS[ch]) this.word(s, e, SYMBOL_WORDS[ch]!);
        else if (PUNCT[ch] !== undefined) this.punct(s, e, ch);
        else this.word(s, e, this.symbolOrLetter(ch));
        prevKind = "s";
      }
    }
  }

  /** A character that is neither a letter run nor punctuation we know: said by name when we can, else silent. */
  private symbolOrLetter(ch: string): string[] {
    if (SYMBOL_WORDS[ch]) return SYMBOL_WORDS[ch]!;
    if (/\p{N}/u.test(ch)) {
      const v = Number.parseInt(ch.normalize("NFKC"), 10);
      if (Number.isFinite(v)) return cardinal(String(v));
    }
    return [];
  }

  // ---- numbers ------------------------------------------------------------

  private num(s: string): string[] {
    const clean = s.replace(/,/g, "");
    const dot = clean.indexOf(".");
    const and = this.opts.dialect === "gb";
    if (dot >= 0) return decimal(clean.slice(0, dot), clean.slice(dot + 1), and);
    if (clean.length > 1 && clean.startsWith("0")) return digitByDigit(clean);
    return cardinal(clean, and);
  }

  private number(s: string, start: number, end: number, canLook: boolean) {
    // "(555) 123-4567": an area code is said digit by digit
    if (/^\d{3}$/.test(s) && this.text[start - 1] === "(" && this.text[end] === ")" && /^\d{3}[-. ]\d{4}\b/.test(this.peekRun()?.text ?? "")) return this.word(start, end, this.phone(s));
    const clean = s.replace(/,/g, "");
    const n = Number(clean);
    const isInt = /^\d+$/.test(s);
    const prev = this.prevWord();
    const next = canLook ? this.peekRun() : undefined;
    const nextUnit = next && unitOf(next.text);
    // years: 4 digits, no grouping
    if (isInt && s.length === 4 && !nextUnit && ((n >= 1000 && n <= 2099 && prev && (YEAR_CONTEXT.has(prev) || MONTHS.includes(prev))) || (n >= 1800 && n <= 2099))) {
      this.word(start, end, year(s));
      if (canLook) this.eraAfter();
      return;
    }
    // "2 1/2 cups": two and a half
    const frac = canLook && isInt ? this.peekRun() : undefined;
    const fm = frac && /^(\d)\/(\d{1,2})$/.exec(splitTrailing(frac.text).core);
    if (frac && fm && Number(fm[1]) < Number(fm[2])) {
      const { core, trailing } = splitTrailing(frac.text);
      this.word(start, end, this.num(s));
      this.i++;
      this.word(frac.start, frac.start + core.length, ["and", ...fraction(fm[1]!, fm[2]!)]);
      this.trailingMarks(frac.start + core.length, trailing);
      return;
    }
    this.word(start, end, this.num(s));
    if (!canLook) return;
    if (this.ampmAfter()) return;
    if (isInt && n >= 1 && n <= 31 && this.monthAfterDay(n)) return;
    this.unitAfter(n);
  }

  /** Unit names as words, British spellings for en-gb (kilometre, litre). */
  private unitWords(name: string): string[] {
    const words = name.split(" ");
    return this.opts.dialect === "gb" ? words.map((w) => w.replace(/^(\w*(?:met|lit))er(s?)$/, "$1re$2")) : words;
  }

  /** "5 km", "60 mph", "20 °C": the unit in the next run. */
  private unitAfter(n: number) {
    const next = this.peekRun();
    if (!next) return;
    const { core, trailing } = splitTrailing(next.text);
    const unit = unitOf(core);
    if (!unit) return;
    // "a" / "in" / "s" as units only when clearly so: require a known unit that is not a common word after a number
    if (["in", "a", "s", "t", "h", "A", "B", "W", "V", "x", "m", "g", "l"].includes(core) && !/^[.,;:!?)]*$/.test(trailing)) return;
    if (core === "in" || core === "a") return;
    this.i++;
    this.word(next.start, next.start + core.length, this.unitWords(n === 1 ? unit[0] : unit[1]));
    this.trailingMarks(next.start + core.length, trailing);
  }

  private trailingMarks(start: number, marks: string) {
    for (let k = 0; k < marks.length; k++) {
      if (marks.slice(k, k + 3) === "...") {
        this.out.push({ kind: "punct", start: start + k, end: start + k + 3, ph: "…", brk: 3 });
        k += 2;
      } else this.punct(start + k, start + k + 1, marks[k]!);
    }
  }

  /** "3 PM", "3:45 p.m." */
  private ampmAfter(): boolean {
    const next = this.peekRun();
    if (!next) return false;
    const { core, trailing } = splitTrailing(next.text);
    let m = /^([ap])\.?m\.?$/i.exec(core + (trailing.startsWith(".") ? "." : ""));
    if (!m || !/^(AM|PM|am|pm|a\.m\.?|p\.m\.?|A\.M\.?|P\.M\.?)$/.test(core + (trailing.startsWith(".") && core.includes(".") ? "." : ""))) m = null;
    if (!m) return false;
    this.i++;
    let used = core.length;
    let rest = trailing;
    if (core.includes(".") && trailing.startsWith(".")) {
      used++;
      rest = trailing.slice(1);
    }
    this.word(next.start, next.start + used, [m[1]!.toUpperCase(), "M"]);
    // "at 5 p.m. Then": the period also ends the sentence
    if (used > core.length) {
      const after = this.peekRun();
      if (!rest && (!after || /^\p{Lu}/u.test(after.text))) this.out.push({ kind: "punct", start: next.start + used, end: next.start + used, ph: ".", brk: 3 });
    }
    this.trailingMarks(next.start + used, rest);
    return true;
  }

  /** "1990 BC", "AD 70" */
  private eraAfter() {
    const next = this.peekRun();
    if (!next) return;
    const { core, trailing } = splitTrailing(next.text);
    if (!/^(BC|AD|BCE|CE|B\.C\.|A\.D\.)$/.test(core)) return;
    this.i++;
    this.word(next.start, next.start + core.length, [...core.replace(/\./g, "")]);
    this.trailingMarks(next.start + core.length, trailing);
  }

  private time(m: RegExpExecArray, start: number, end: number, canLook: boolean) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    const sec = m[3] ? Number(m[3]) : undefined;
    if (h > 24 || min > 59) {
      // a ratio or score ("3:75"): "three seventy-five"
      return this.word(start, end, [...cardinal(m[1]!), ...cardinal(m[2]!)]);
    }
    const words = [...cardinal(String(h))];
    const ampmNext = !m[4] && canLook && /^[ap]\.?m\.?/i.test(this.peekRun()?.text ?? "");
    if (min === 0 && sec === undefined) {
      if (!m[4] && ampmNext) {
        /* "5:00 a.m." -> five a m */
      } else if (!m[4] && h >= 1 && h <= 12) words.push("o'clock");
      else if (!m[4]) words.push("hundred");
    } else if (min < 10) words.push("oh", ...cardinal(String(min)));
    else words.push(...cardinal(String(min)));
    if (sec !== undefined) words.push("and", ...cardinal(String(sec)), sec === 1 ? "second" : "seconds");
    if (m[4]) words.push(m[4].toUpperCase(), "M");
    this.word(start, end, words);
    if (canLook && !m[4]) this.ampmAfter();
  }

  private date(y: number, mo: number, d: number): string[] {
    const month = MONTHS[mo - 1]!;
    const day = ordinal(String(d));
    const yr = year(String(y));
    return this.opts.dialect === "gb" ? ["the", ...day, "of", month, ...yr] : [month, ...day, ...yr];
  }

  /** "5 December" -> the fifth of December (called after a day number was emitted). */
  private monthAfterDay(day: number): boolean {
    if (day < 1 || day > 31) return false;
    const next = this.peekRun();
    if (!next) return false;
    const { core, trailing } = splitTrailing(next.text);
    const mo = monthOf(core, trailing);
    if (!mo) return false;
    const dayItem = this.prevWordItem();
    if (!dayItem) return false;
    dayItem.words = ["the", ...ordinal(String(day))];
    this.out.push({ kind: "word", start: next.start, end: next.start + mo.len, words: ["of", MONTHS[mo.n - 1]!] });
    this.i++;
    const rest = trailing.slice(mo.len - core.length);
    this.trailingMarks(next.start + mo.len, rest);
    if (!rest) this.yearAfter();
    return true;
  }

  private yearAfter() {
    const next = this.peekRun();
    if (!next) return;
    const { core, trailing } = splitTrailing(next.text);
    if (!/^\d{4}$/.test(core)) return;
    this.i++;
    this.word(next.start, next.start + core.length, year(core));
    this.trailingMarks(next.start + core.length, trailing);
  }

  private money(neg: string | undefined, sym: string, amount: string, scale: string | undefined): string[] {
    const cur = CURRENCIES[sym]!;
    const clean = amount.replace(/,/g, "");
    const out = neg ? ["minus"] : [];
    if (scale) return [...out, ...this.num(amount), SCALE_SUFFIX[scale]!, cur.main[1]];
    const [intPart, frac = ""] = clean.split(".");
    const whole = intPart === "" ? 0 : Number(intPart);
    if (frac.length === 2 || frac.length === 1) {
      const cents = Number(frac.padEnd(2, "0"));
      const parts: string[] = [];
      if (whole || !cents) parts.push(...cardinal(intPart || "0", this.opts.dialect === "gb"), whole === 1 ? cur.main[0] : cur.main[1]);
      if (cents) {
        if (parts.length) parts.push("and");
        parts.push(...cardinal(String(cents)), cents === 1 ? cur.sub[0] : cur.sub[1]);
      }
      return [...out, ...parts];
    }
    if (frac.length > 2) return [...out, ...this.num(clean), cur.main[1]];
    return [...out, ...cardinal(intPart || "0", this.opts.dialect === "gb"), whole === 1 ? cur.main[0] : cur.main[1]];
  }

  private phone(c: string): string[] {
    const groups = c.replace(/^\+/, "").split(/[^\d]+/).filter(Boolean);
    const out: string[] = c.startsWith("+") ? ["plus"] : [];
    for (const g of groups) out.push(...[...g].map((d) => (d === "0" ? "oh" : cardinal(d)[0]!)));
    return out;
  }

  private version(c: string): string[] {
    const parts = c.replace(/^v/, "").split(".");
    const out: string[] = c.startsWith("v") && this.prevWord() !== "version" ? ["version"] : [];
    parts.forEach((p, k) => {
      if (k) out.push("point");
      out.push(...cardinal(p));
    });
    return out;
  }

  // ---- words ------------------------------------------------------------

  private abbreviation(c: string, lower: string, words: string[], start: number, end: number, canLook: boolean) {
    const next = canLook || c.endsWith(".") ? this.peekRun() : undefined;
    if (lower === "no." || lower === "nos.") {
      if (!next || !/^#?\d/.test(next.text)) return this.word(start, end, ["no"]);
    }
    if (lower === "st.") {
      const prev = this.prevWordItem();
      const prevText = prev ? this.text.slice(prev.start, prev.end) : "";
      const street = prev && !this.atSentenceStart() && (/^\p{Lu}/u.test(prevText) || /^\d/.test(prevText)) && !(next && /^\p{Lu}/u.test(next.text) && !/^\p{Lu}/u.test(prevText));
      if (street && c.endsWith(".") && (!next || /^["“(]?\p{Lu}/u.test(next.text)) && !this.isName(next?.text)) {
        // "on Main St. Then ...": the period also ends the sentence
        this.word(start, end - 1, ["street"]);
        this.out.push({ kind: "punct", start: end - 1, end, ph: ".", brk: 3 });
        return;
      }
      return this.word(start, end, [street ? "street" : "saint"]);
    }
    if (lower === "dr." && next && !/^\p{Lu}/u.test(next.text)) {
      const prev = this.prevWordItem();
      if (prev && /^\p{Lu}/u.test(this.text.slice(prev.start, prev.end)) && !this.atSentenceStart()) return this.word(start, end, ["drive"]);
    }
    if (MONTH_ABBR[lower.replace(/\.$/, "")] && next) {
      if (this.monthDay(MONTH_ABBR[lower.replace(/\.$/, "")]!, start, end)) return;
    }
    this.word(start, end, words);
  }

  private letters(w: string, start: number, end: number, canLook: boolean) {
    const clean = w.replace(/[\u00AD\u200B-\u200D\u2060]/g, "").replace(/’/g, "'");
    if (!clean) return this.out.push({ kind: "silent", start, end });
    const lower = clean.toLowerCase();
    // months followed by a day: "December 5, 2025"
    const mIdx = MONTHS.indexOf(lower);
    if (mIdx >= 0 && canLook && /^\p{Lu}/u.test(clean) && this.monthDay(mIdx + 1, start, end)) return;
    if (MONTH_ABBR[lower] && canLook && /^\p{Lu}\p{Ll}+$/u.test(clean) && this.monthDay(MONTH_ABBR[lower]!, start, end)) return;
    if (BARE_ABBREVIATIONS[lower] && (lower !== "dr" || /^D/.test(clean))) return this.word(start, end, BARE_ABBREVIATIONS[lower]!);
    // British style without the period: "Ms Jones", "St Paul's", "Prof Smith"
    if (canLook && /^(Ms|St|Prof|Revd|Capt|Sgt)$/.test(clean) && /^\p{Lu}/u.test(this.peekRun()?.text ?? ""))
      return this.word(start, end, { Ms: ["miz"], St: ["saint"], Prof: ["professor"], Revd: ["reverend"], Capt: ["captain"], Sgt: ["sergeant"] }[clean]!);
    // Roman numerals
    if (/^[IVXLCDM]+$/.test(clean)) {
      const r = this.roman(clean);
      if (r) return this.word(start, end, r);
    }
    if (/^\p{Lu}{2,}$/u.test(clean) || /^\p{Lu}{2,}'?s$/u.test(clean)) return this.word(start, end, this.acronym(clean));
    // mixed case short forms: PhD, MSc, iOS (not in the lexicon)
    if (/^\p{L}*\p{Lu}\p{L}*\p{Lu}\p{L}*$/u.test(clean) && !this.opts.known(clean)) {
      if (clean.length <= 4) return this.word(start, end, this.spell(clean));
      return this.word(start, end, this.splitName(clean));
    }
    this.word(start, end, [clean]);
  }

  /** "December 5", "Dec. 5th, 2025": month then day (and year). */
  private monthDay(mo: number, start: number, end: number): boolean {
    const next = this.peekRun();
    if (!next) return false;
    const { core, trailing } = splitTrailing(next.text);
    const dm = /^(\d{1,2})(st|nd|rd|th)?$/i.exec(core);
    if (!dm || Number(dm[1]) < 1 || Number(dm[1]) > 31) return false;
    this.word(start, end, [MONTHS[mo - 1]!]);
    this.i++;
    this.word(next.start, next.start + core.length, this.opts.dialect === "gb" ? ["the", ...ordinal(dm[1]!)] : ordinal(dm[1]!));
    if (trailing === "," || trailing === "") {
      const y = this.peekRun();
      const yc = y && splitTrailing(y.text);
      if (y && yc && /^\d{4}$/.test(yc.core)) {
        this.trailingMarks(next.start + core.length, trailing);
        this.i++;
        this.word(y.start, y.start + yc.core.length, year(yc.core));
        this.trailingMarks(y.start + yc.core.length, yc.trailing);
        return true;
      }
    }
    this.trailingMarks(next.start + core.length, trailing);
    return true;
  }

  private roman(w: string): string[] | undefined {
    const v = romanValue(w);
    if (!v) return undefined;
    const prevItem = this.prevWordItem();
    const prevText = prevItem ? this.text.slice(prevItem.start, prevItem.end) : "";
    const prevLower = prevText.toLowerCase().replace(/\.$/, "");
    if (HEADING_WORDS.has(prevLower)) return cardinal(String(v));
    if (REGNAL_NAMES.has(prevText)) return ["the", ...ordinal(String(v))];
    if (w.length >= 2 && /^\p{Lu}\p{Ll}+$/u.test(prevText) && !this.opts.known(w)) {
      // a name ("Ramesses II") reads as a regnal number; a title ("Super Bowl LVII", "Rocky III") as a plain one
      return this.opts.known(prevText.toLowerCase()) ? cardinal(String(v)) : ["the", ...ordinal(String(v))];
    }
    return undefined;
  }

  private acronym(w: string): string[] {
    let base = w;
    let plural = "";
    const m = /^(\p{Lu}{2,})('?s)$/u.exec(w);
    if (m) {
      base = m[1]!;
      plural = m[2]!;
    }
    const asWord = this.opts.saidAsWord ?? this.opts.known;
    if (asWord(w)) return [w];
    if (asWord(base) && !plural) return [base];
    const lower = w.toLowerCase();
    if ((this.shouting || base.length >= 5) && this.opts.known(lower)) return [lower];
    if (this.shouting && base.length >= 3 && this.opts.known(lower)) return [lower];
    if (asWord(base)) return [base + plural];
    const letters = this.spell(base);
    if (plural) letters[letters.length - 1] += "'s";
    return letters;
  }

  private spell(w: string): string[] {
    return [...w].filter((ch) => /\p{L}/u.test(ch)).map((ch) => ch.toUpperCase());
  }

  /** "MondayMotivation" -> Monday Motivation; "user_name42" -> user name forty-two. */
  private splitName(s: string): string[] {
    const parts = s
      .replace(/_/g, " ")
      .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
      .replace(/(\p{L})(\d)/gu, "$1 $2")
      .replace(/(\d)(\p{L})/gu, "$1 $2")
      .split(/\s+/)
      .filter(Boolean);
    const out: string[] = [];
    for (const p of parts) {
      if (/^\d+$/.test(p)) out.push(...(p.length > 4 ? digitByDigit(p) : cardinal(p)));
      else if (/^\p{Lu}+$/u.test(p) && p.length > 1) out.push(...this.acronym(p));
      else out.push(p);
    }
    return out;
  }

  private url(c: string): string[] {
    const rest = c.replace(/^(https?|ftp):\/\//i, "");
    return this.spokenAddress(rest);
  }

  private email(c: string): string[] {
    const [local, domain] = c.split("@");
    return [...this.spokenAddress(local!), "at", ...this.spokenAddress(domain!)];
  }

  private spokenAddress(s: string): string[] {
    const out: string[] = [];
    const names: Record<string, string[]> = { ".": ["dot"], "/": ["slash"], ":": ["colon"], "-": ["dash"], _: ["underscore"], "?": ["question", "mark"], "=": ["equals"], "&": ["and"], "#": ["hash"], "+": ["plus"], "~": ["tilde"], "%": ["percent"], "@": ["at"] };
    for (const m of s.matchAll(/(\p{L}+)|(\d+)|([\s\S])/gu)) {
      if (m[1]) {
        const p = m[1];
        if (p.toLowerCase() === "www") out.push("W", "W", "W");
        else if (/^(com|org|net|io|ai|co|uk|us|de|fr|gov|edu)$/i.test(p) && out[out.length - 1] === "dot") out.push(...(/^(com|org|net|gov|edu|app)$/i.test(p) ? [p.toLowerCase()] : this.spell(p)));
        else if ((p.length <= 3 && !this.opts.known(p.toLowerCase())) || !/[aeiouy]/i.test(p)) out.push(...this.spell(p));
        else out.push(...this.splitName(p));
      } else if (m[2]) out.push(...(m[2].length > 4 ? digitByDigit(m[2]) : cardinal(m[2])));
      else if (names[m[3]!]) out.push(...names[m[3]!]!);
    }
    // a trailing slash is not said
    if (out[out.length - 1] === "slash") out.pop();
    return out;
  }
}

function sign(s: string | undefined): string[] {
  return s === "-" || s === "−" ? ["minus"] : s === "+" ? ["plus"] : [];
}

function splitTrailing(text: string): { core: string; trailing: string } {
  const m = /^(.*?)([.,;:!?…"”’')\]}»]*)$/su.exec(text)!;
  return { core: m[1]!, trailing: m[2]! };
}

/** "5 USD", "20 EUR": said as the currency. */
const CURRENCY_CODES: Record<string, [string, string]> = {
  USD: ["U S dollar", "U S dollars"],
  EUR: ["euro", "euros"],
  GBP: ["pound", "pounds"],
  JPY: ["yen", "yen"],
  CAD: ["Canadian dollar", "Canadian dollars"],
  AUD: ["Australian dollar", "Australian dollars"],
  CHF: ["Swiss franc", "Swiss francs"],
  INR: ["rupee", "rupees"],
  CNY: ["yuan", "yuan"],
};

function unitOf(core: string): [string, string] | undefined {
  if (core === "°C" || core === "ºC") return ["degree Celsius", "degrees Celsius"];
  if (core === "°F" || core === "ºF") return ["degree Fahrenheit", "degrees Fahrenheit"];
  if (core === "°K") return ["kelvin", "kelvins"];
  if (core === "°") return ["degree", "degrees"];
  if (CURRENCY_CODES[core]) return CURRENCY_CODES[core];
  return UNITS[core] ?? (core.length > 2 ? UNITS[core.toLowerCase()] : undefined);
}

function monthOf(core: string, trailing: string): { n: number; len: number } | undefined {
  const lower = core.toLowerCase();
  const full = MONTHS.indexOf(lower);
  if (full >= 0 && /^\p{Lu}/u.test(core)) return { n: full + 1, len: core.length };
  if (MONTH_ABBR[lower] && /^\p{Lu}/u.test(core)) return { n: MONTH_ABBR[lower]!, len: core.length + (trailing.startsWith(".") ? 1 : 0) };
  return undefined;
}

/** Normalises `text[from, to)`; spans are offsets into the whole text. Cut ranges with `nextBlockEnd`. */
export function normalize(text: string, opts: NormalizeOptions, from = 0, to = text.length): Item[] {
  return new Normalizer(text, opts, from, to).run();
}

/** The spoken words of a text, space-separated (for tests and the `normalized` field). */
export function spokenText(items: Item[]): string {
  return items
    .filter((i): i is WordItem => i.kind === "word")
    .flatMap((i) => i.words)
    .join(" ");
}

export type { Brk as BreakStrength };
export { ordinalWord };
