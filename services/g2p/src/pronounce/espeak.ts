/**
 * Out-of-vocabulary words through espeak-ng (npm `phonemizer`, WebAssembly),
 * its IPA mapped into Kokoro's alphabet the way misaki's espeak fallback does.
 * Loaded lazily; calls are serialised because the engine keeps global state.
 */
import type { Dialect } from "./arpabet";

type PhonemizeFn = (text: string, language?: string) => Promise<string[]>;
let engine: Promise<PhonemizeFn> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function load(): Promise<PhonemizeFn> {
  engine ??= withoutProcessHooks(() => import("phonemizer")).then(
    (m) => (m as { phonemize: PhonemizeFn }).phonemize,
  );
  return engine;
}

/**
 * The emscripten build inside `phonemizer` registers process-wide handlers
 * that rethrow every unhandled rejection and uncaught exception, which would
 * turn any stray promise anywhere in the process into a crash. Take back
 * whatever handlers loading it added.
 */
async function withoutProcessHooks<T>(load: () => Promise<T>): Promise<T> {
  const events = ["unhandledRejection", "uncaughtException"] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  try {
    return await load();
  } finally {
    for (const e of events)
      for (const l of process.listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l as never);
  }
}

/** Load and warm the engine (the first call compiles the WebAssembly). */
export async function warmEspeak(): Promise<number> {
  const t0 = performance.now();
  const f = await load();
  await serial(() => f("warm", "en-us"));
  return Math.round(performance.now() - t0);
}

function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
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
 * words go in one call, one per line (espeak answers with one space-separated
 * word each); when the answer does not line up, each word is asked alone.
 */
export async function espeakWords(words: string[], dialect: Dialect): Promise<string[]> {
  if (!words.length) return [];
  const key = (w: string) => `${dialect}:${w}`;
  const todo = [...new Set(words.filter((w) => !cache.has(key(w))))];
  if (todo.length) {
    const f = await load();
    // "en" is British English (phonemizer.js does not switch voices for "en-gb")
    const lang = dialect === "gb" ? "en" : "en-us";
    const got = await serial(async () => {
      const flat = (await f(todo.join("\n"), lang)).join(" ").trim().split(/\s+/).filter(Boolean);
      if (flat.length === todo.length) return flat;
      const out: string[] = [];
      for (const w of todo) out.push((await f(w, lang)).join(" ").replace(/\s+/g, ""));
      return out;
    });
    if (cache.size + todo.length > CACHE_MAX) cache.clear();
    todo.forEach((w, i) => cache.set(key(w), espeakToKokoro(got[i] ?? "", dialect)));
  }
  return words.map((w) => cache.get(key(w)) ?? "");
}
