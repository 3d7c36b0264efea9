/**
 * Word -> phonemes in Kokoro's alphabet: per-request overrides, then misaki's
 * lexicons (gold over silver) over CMU, with heteronyms picked by a tag, then
 * suffixes, contractions, possessives, hyphenated and compound words. What is
 * left is out of vocabulary: the caller asks espeak, then letter-to-sound rules.
 */
import type { Dialect } from "./arpabet";
import type { Entry, Lexicon } from "./lexicon";
import { letterName } from "./letters";
import { LEAD_METAL, type Tag } from "./tagger";
import { VOWEL_PHONEMES } from "./rules";

export { guessTag, type Tag } from "./tagger";

const VOICELESS = "ptkfθ";
const SIBILANT = "szʃʒʧʤ";

function resolve(entry: Entry | undefined, tag: Tag): string | undefined {
  if (entry === undefined) return undefined;
  if (typeof entry === "string") return entry;
  if (tag && typeof entry[tag] === "string") return entry[tag]!;
  if ((tag === "VBD" || tag === "VBN" || tag === "VBP") && typeof entry.VERB === "string") return entry.VERB;
  return typeof entry.DEFAULT === "string" ? entry.DEFAULT : undefined;
}

export function isHeteronym(entry: Entry | undefined): entry is Record<string, string | null> {
  return !!entry && typeof entry === "object";
}

export function startsWithVowel(ph: string): boolean {
  const c = ph.replace(/^[ˈˌ"“(]+/, "")[0];
  return !!c && VOWEL_PHONEMES.includes(c);
}

function lastPhoneme(ph: string): string {
  const s = ph.replace(/[ˈˌː]/g, "");
  return s[s.length - 1] ?? "";
}

export class Pronouncer {
  readonly dialect: Dialect;
  private readonly overrides = new Map<string, string>();

  constructor(
    readonly lexicon: Lexicon,
    overrides?: Record<string, string>,
  ) {
    this.dialect = lexicon.dialect;
    this.cmuBeforeEspeak = lexicon.dialect !== "gb";
    for (const [k, v] of Object.entries(overrides ?? {})) {
      this.overrides.set(k, v);
      this.overrides.set(k.toLowerCase(), v);
    }
  }

  /** The user's own phonemes for a word, if the request gave any. */
  lookupOverride(word: string): string | undefined {
    return this.overrides.get(word) ?? this.overrides.get(word.toLowerCase());
  }

  /** The lexicon entry a word would use (for the tagger: which tags matter). */
  entry(word: string): Entry | undefined {
    for (const v of variants(word)) {
      const e = this.lexicon.get(v);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  /** Phonemes, or undefined when the word is out of vocabulary. */
  lookup(word: string, tag?: Tag): string | undefined {
    const o = this.overrides.get(word) ?? this.overrides.get(word.toLowerCase());
    if (o !== undefined) return o;
    if (tag === "NOUN_METAL") return "lˈɛd";
    // a spelled letter, or a letter's plural ("CD's" -> ... ˈdiz)
    const lm = /^(\p{Lu})('?s)?$/u.exec(word);
    if (lm) {
      const name = letterName(lm[1]!, this.dialect);
      if (name) return lm[2] ? name + "z" : name;
    }
    // misaki's lexicons first (with their suffix rules), then CMU
    return (
      this.tiered(word, tag, true) ??
      (this.cmuBeforeEspeak ? this.tiered(word, tag, false) : undefined) ??
      this.compound(word)
    );
  }

  /**
   * British English: CMU is American, and espeak-ng's British voice matches
   * misaki's gb lexicons better (bench/eval-lexicon.ts), so CMU comes after
   * espeak there. The engine calls this when espeak had nothing.
   */
  readonly cmuBeforeEspeak: boolean;
  lookupCmu(word: string, tag?: Tag): string | undefined {
    return this.tiered(word, tag, false);
  }

  private tiered(word: string, tag: Tag, misakiOnly: boolean): string | undefined {
    const base = this.base(word, tag, misakiOnly);
    if (base !== undefined) return base;
    if (word.includes("-")) {
      const parts = word.split("-").filter(Boolean);
      // "lead-free", "lead-grey": the metal
      const ph = parts.map((p, k) =>
        p.toLowerCase() === "lead" && LEAD_METAL.has(parts[k + 1]?.toLowerCase() ?? "")
          ? "lˈɛd"
          : this.lookup(p),
      );
      if (ph.every((p) => p !== undefined)) return ph.join(" ");
      return undefined;
    }
    return this.affixed(word, misakiOnly);
  }

  private base(word: string, tag: Tag, misakiOnly = false): string | undefined {
    for (const v of variants(word)) {
      const e = misakiOnly ? this.lexicon.getMisaki(v) : this.lexicon.get(v);
      if (e !== undefined) {
        const p = resolve(e, tag);
        if (p !== undefined) return p;
      }
    }
    return undefined;
  }

  private stem(s: string, misakiOnly: boolean, tag?: Tag): string | undefined {
    return this.base(s, tag, misakiOnly);
  }

  /** American flapped t before an unstressed suffix vowel ("batting", "allotted"). */
  private flap(stem: string): string {
    return this.dialect === "us" ? stem.replace(/([AIOWYaeiouæɑɔəɛɜɪʊʌᵊɹ])t$/, "$1ɾ") : stem;
  }

  /** -'s, -s, -es, -ed, -ing, and contractions, from a known stem. */
  private affixed(word: string, misakiOnly: boolean): string | undefined {
    const w = word.replace(/’/g, "'");
    const lw = w.toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^(.+)'(s|ll|re|ve|d|m)$/i.exec(w))) {
      const stem = this.lookup(m[1]!);
      if (stem === undefined) return undefined;
      const suf = m[2]!.toLowerCase();
      if (suf === "s") return this.plural(stem);
      const tail = { ll: "l", re: "ɹ", ve: "v", d: "d", m: "m" }[suf]!;
      return stem + (startsWithVowel(tail) ? "" : this.dialect === "gb" && tail === "ɹ" ? "ə" : tail);
    }
    if ((m = /^(.+)n't$/i.exec(w))) {
      const stem = this.base(m[1]!, undefined, misakiOnly);
      if (stem !== undefined) return stem + "ᵊnt";
    }
    if (lw.endsWith("s") && lw.length > 2) {
      const cands: string[] = [];
      if (lw.endsWith("ies")) cands.push(w.slice(0, -3) + "y");
      if (lw.endsWith("es")) cands.push(w.slice(0, -2));
      cands.push(w.slice(0, -1));
      for (const c of cands) {
        const p = this.stem(c, misakiOnly);
        if (p !== undefined) return this.plural(p);
      }
    }
    if (lw.endsWith("ed") && lw.length > 3) {
      const cands = [w.slice(0, -1), w.slice(0, -2)]; // "blamed" -> blame before blam
      if (lw.endsWith("ied")) cands.unshift(w.slice(0, -3) + "y");
      if (lw.length > 4 && lw[lw.length - 3] === lw[lw.length - 4]) cands.push(w.slice(0, -3));
      for (const c of cands) {
        const p = this.stem(c, misakiOnly, "VERB");
        if (p !== undefined) return this.past(p);
      }
    }
    if (lw.endsWith("ing") && lw.length > 4) {
      const cands = [w.slice(0, -3) + "e", w.slice(0, -3)]; // "coding" -> code before cod
      if (lw[lw.length - 4] === lw[lw.length - 5]) cands.push(w.slice(0, -4));
      for (const c of cands) {
        const p = this.stem(c, misakiOnly, "VERB");
        if (p !== undefined) return this.flap(p) + "ɪŋ";
      }
    }
    // unstressed suffixes: -ness, -less, -ful, -ment
    for (const [suf, ph] of [
      ["ness", "nəs"],
      ["less", "ləs"],
      ["ful", "fəl"],
      ["ment", "mənt"],
    ] as const) {
      if (lw.endsWith(suf) && lw.length > suf.length + 2) {
        const stemWord = w.slice(0, -suf.length);
        const p =
          this.stem(stemWord, misakiOnly) ??
          (stemWord.endsWith("i") ? this.stem(stemWord.slice(0, -1) + "y", misakiOnly) : undefined);
        if (p !== undefined) return p + ph;
      }
    }
    if (lw.endsWith("ly") && lw.length > 4) {
      let p =
        this.stem(w.slice(0, -2), misakiOnly) ??
        (lw.endsWith("ily") ? this.stem(w.slice(0, -3) + "y", misakiOnly)?.replace(/i$/, "ə") : undefined);
      if (p === undefined && lw.endsWith("ically")) {
        const ic = this.stem(w.slice(0, -4), misakiOnly);
        if (ic !== undefined) p = ic.replace(/ɪk$/, "ək") + "ᵊl";
      }
      if (p !== undefined) {
        if (this.dialect === "us") p = p.replace(/ɪkᵊl$/, "əkᵊl").replace(/ɪv$/, "əv");
        if (!lw.endsWith("ically")) p = p.replace(/ᵊl$/, "əl");
        return p.endsWith("l") ? p + "i" : p + "li";
      }
    }
    return undefined;
  }

  plural(stem: string): string {
    const last = lastPhoneme(stem);
    if (SIBILANT.includes(last)) return stem + (this.dialect === "gb" ? "ɪz" : "ᵻz");
    if (VOICELESS.includes(last)) return stem + "s";
    return stem + "z";
  }

  past(stem: string): string {
    const last = lastPhoneme(stem);
    if (last === "t" || last === "d") return this.flap(stem) + (this.dialect === "gb" ? "ɪd" : "ᵻd");
    if ("pkfθʃsʧ".includes(last)) return stem + "t";
    return stem + "d";
  }

  /** Two known words written as one ("sunflowerfield"). */
  private compound(word: string): string | undefined {
    const w = word.toLowerCase();
    if (w.length < 8 || !/^[a-z]+$/.test(w)) return undefined;
    let best: [number, string] | undefined;
    const MIN = 4;
    for (let k = MIN; k <= w.length - MIN; k++) {
      // both halves real words in misaki's gold lexicon (CMU and silver hold too many fragments)
      const a = this.lexicon.getGold(w.slice(0, k));
      const b = this.lexicon.getGold(w.slice(k));
      if (a === undefined || b === undefined) continue;
      const pa = resolve(a, undefined);
      const pb = resolve(b, undefined);
      if (pa === undefined || pb === undefined) continue;
      const score = Math.min(k, w.length - k);
      if (!best || score > best[0]) best = [score, pa + pb.replace(/ˈ/g, "ˌ")];
    }
    return best?.[1];
  }
}

/** Spellings to try for a word: as written, lowercase, capitalised, without accents. */
export function variants(word: string): string[] {
  const out = [word];
  const lower = word.toLowerCase();
  if (lower !== word) out.push(lower);
  const cap = lower.charAt(0).toUpperCase() + lower.slice(1);
  if (cap !== word) out.push(cap);
  const plain = word.normalize("NFD").replace(/\p{M}/gu, "");
  if (plain !== word) out.push(plain, plain.toLowerCase());
  return out;
}
