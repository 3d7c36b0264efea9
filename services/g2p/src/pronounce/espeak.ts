/**
 * Out-of-vocabulary words through Debian's espeak-ng, run as a child process (espeak-process.ts, so
 * its GPL code stays outside ours), its IPA mapped into Kokoro's alphabet the way misaki's espeak
 * fallback does. A process per dialect, started on first use.
 */
import type { Dialect } from "./arpabet";
import { EspeakProcess } from "./espeak-process";

const VOICES: Record<Dialect, string> = { us: "en-us", gb: "en-gb" };
/** One long-lived espeak-ng per voice (en-us, en-gb, es, fr-fr, ...), started on first use. */
const processes = new Map<string, EspeakProcess>();

/** The espeak-ng process that speaks `voice` (espeak-ng's voice name, started on first use). */
export function espeakProcess(voice: string, tie?: string): EspeakProcess {
  const key = tie ? `${voice} ${tie}` : voice;
  let p = processes.get(key);
  if (!p) processes.set(key, (p = new EspeakProcess({ voice, tie })));
  return p;
}

function espeakFor(dialect: Dialect): EspeakProcess {
  return espeakProcess(VOICES[dialect]);
}

/** Start espeak-ng and say one word (fails when espeak-ng is not installed). Returns the milliseconds it took. */
export async function warmEspeak(): Promise<number> {
  const t0 = performance.now();
  const [ipa] = await espeakFor("us").ipa(["warm"]);
  if (!ipa) throw new Error("espeak-ng gave no answer");
  return Math.round(performance.now() - t0);
}

/** Stop the espeak-ng processes (the g2p service stops). */
export function closeEspeak(): void {
  for (const p of processes.values()) p.close();
  processes.clear();
}

const COMMON: Array<[RegExp, string]> = [
  [/d[͡^]?ʒ/g, "ʤ"],
  [/t[͡^]?ʃ/g, "ʧ"],
  [/a[͡^]?ɪ/g, "I"],
  [/a[͡^]?ʊ/g, "W"],
  [/ɔ[͡^]?ɪ/g, "Y"],
  [/e[͡^]?ɪ/g, "A"],
  [/ɚ/g, "əɹ"],
  [/ɝ/g, "ɜɹ"],
  [/r/g, "ɹ"],
  [/g/g, "ɡ"],
  [/[xç]/g, "k"],
  [/ɬ/g, "l"],
  [/ʲ/g, ""],
  [/ɐ/g, "ə"],
  [/(\S)\u0329/g, "ᵊ$1"],
  [/[0-9]/g, ""],
];
const US: Array<[RegExp, string]> = [
  [/o[͡^]?ʊ/g, "O"],
  [/ə[͡^]?ʊ/g, "O"],
  [/oːɹ/g, "ɔɹ"],
  [/oː/g, "ɔ"],
  [/ɜːɹ?/g, "ɜɹ"],
  [/ɛː/g, "ɛɹ"],
  [/ɒ/g, "ɑ"],
  [/ː/g, ""],
];
const GB: Array<[RegExp, string]> = [
  [/ə[͡^]?ʊ/g, "Q"],
  [/o[͡^]?ʊ/g, "Q"],
  [/eə/g, "ɛː"],
  [/æ/g, "a"],
  [/ɾ/g, "t"],
];

const V = "AIOQWYaeiouæɑɒɔəɛɜɪʊʌᵊᵻ";
/** Closer to misaki's habits (measured against its gold lexicon): syllabic l, reduced medial ɪ, no doubled ɹ. */
const POST_US: Array<[RegExp, string]> = [
  [new RegExp(`([^${V}ˈˌɹ\\s])əl(?![${V}])`, "g"), "$1ᵊl"],
  [/ᵻ(?![dz]$)/g, "ə"],
  [/jʊl/g, "jəl"],
  [/ɪkli$/, "əkᵊli"],
  [/ɪkᵊl/g, "əkᵊl"],
  [/^(ˌ?)ɪŋk/, "$1ɪnk"],
  [/^ɛ(?=[nkm])/, "ɪ"],
  [/iɪst$/, "iᵻst"],
  [/(?<=[^ˈˌ])ɪ([st])$/, "ə$1"],
  [new RegExp(`(?<=ˈ[^ˈ]*[dstz])ən(?![${V}])`, "g"), "ᵊn"],
  [new RegExp(`æɹ(?=[${V}])`, "g"), "ɛɹ"],
  [new RegExp(`(?<=[^ˈˌ])ɪ(?=[bdfɡlmnpsvz][${V}])`, "g"), "ə"],
  [/ɹɹ/g, "ɹ"],
];
const POST_GB: Array<[RegExp, string]> = [
  [new RegExp(`([^${V}ˈˌɹ\\s])əl(?![${V}])`, "g"), "$1ᵊl"],
  [new RegExp(`([^${V}ˈˌ\\s])ən(?![${V}])`, "g"), "$1ᵊn"],
  [/iə/g, "ɪə"],
  [/ˌ/g, ""],
  [/ɹɹ/g, "ɹ"],
];

/** Misaki marks a secondary stress on the first syllable when the primary comes two or more syllables later ("ˌɪkθiˈɑləʤi"). */
function preStress(s: string): string {
  const primary = s.indexOf("ˈ");
  if (primary < 0 || s.slice(0, primary).includes("ˌ")) return s;
  const vowels = [...s.slice(0, primary).matchAll(new RegExp(`[${V}]+`, "g"))];
  if (vowels.length < 2) return s;
  const at = vowels[0]!.index!;
  return s.slice(0, at) + "ˌ" + s.slice(at);
}

export function espeakToKokoro(ipa: string, dialect: Dialect): string {
  let s = ipa.normalize("NFC");
  for (const [re, to] of COMMON) s = s.replace(re, to);
  for (const [re, to] of dialect === "gb" ? GB : US) s = s.replace(re, to);
  for (const [re, to] of dialect === "gb" ? POST_GB : POST_US) s = s.replace(re, to);
  s = preStress(s);
  return s.trim();
}

/** Results by dialect and word: out-of-vocabulary names repeat across requests. */
const cache = new Map<string, string>();
const CACHE_MAX = 50_000;

/**
 * Phonemes for words, in Kokoro's alphabet (before vocab cleaning). Unknown
 * words go in one request, one per line (espeak answers a line each); when the
 * answer does not line up, each word is asked alone.
 */
export async function espeakWords(words: string[], dialect: Dialect): Promise<string[]> {
  if (!words.length) return [];
  const key = (w: string) => `${dialect}:${w}`;
  const todo = [...new Set(words.filter((w) => !cache.has(key(w))))];
  if (todo.length) {
    const espeak = espeakFor(dialect);
    let got = await espeak.ipa(todo);
    if (got.length !== todo.length) {
      // the answer did not line up (a word espeak read as two lines): each word alone
      got = [];
      for (const w of todo) got.push((await espeak.ipa([w])).join("").replace(/\s+/g, ""));
    }
    if (cache.size + todo.length > CACHE_MAX) cache.clear();
    todo.forEach((w, i) => cache.set(key(w), espeakToKokoro(got[i] ?? "", dialect)));
  }
  return words.map((w) => cache.get(key(w)) ?? "");
}
