/**
 * Pronunciation lexicons in Kokoro's alphabet: misaki's gold and silver
 * dictionaries when a folder holds them (gold outranks silver), over the CMU
 * dictionary mapped from ARPAbet, which is always there.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { arpabetToKokoro, type Dialect } from "./arpabet";

/** A word's phonemes, or for heteronyms phonemes by part of speech (`DEFAULT` always present). */
export type Entry = string | Record<string, string | null>;

export interface LexiconStats {
  dialect: Dialect;
  gold: number;
  silver: number;
  cmu: number;
  load_ms: number;
  sources: string[];
  /** Lexicon files LEXICON_DIR was expected to hold but does not. */
  missing: string[];
}

export class Lexicon {
  constructor(
    readonly dialect: Dialect,
    private readonly gold: Map<string, Entry>,
    private readonly silver: Map<string, Entry>,
    private readonly cmu: Map<string, string>,
    readonly stats: LexiconStats,
  ) {}

  /** Exact key: gold, then silver, then CMU (lowercase keys only). */
  get(word: string): Entry | undefined {
    return this.gold.get(word) ?? this.silver.get(word) ?? this.cmuGet(word);
  }

  has(word: string): boolean {
    return this.gold.has(word) || this.silver.has(word) || this.cmu.has(word);
  }

  /** Gold/silver only (the misaki lexicons). */
  getMisaki(word: string): Entry | undefined {
    return this.gold.get(word) ?? this.silver.get(word);
  }

  getGold(word: string): Entry | undefined {
    return this.gold.get(word);
  }

  private cmuGet(word: string): string | undefined {
    return this.cmu.get(word);
  }

  /** A copy without some words in gold only (for the held-out evaluation). */
  withoutGold(words: Iterable<string>): Lexicon {
    const gold = new Map(this.gold);
    for (const w of words) gold.delete(w);
    return new Lexicon(this.dialect, gold, this.silver, this.cmu, this.stats);
  }

  /** A copy without some words in every lexicon (for the held-out evaluation). */
  without(words: Iterable<string>): Lexicon {
    const gold = new Map(this.gold);
    const silver = new Map(this.silver);
    const cmu = new Map(this.cmu);
    for (const w of words) {
      gold.delete(w);
      silver.delete(w);
      cmu.delete(w);
      cmu.delete(w.toLowerCase());
    }
    return new Lexicon(this.dialect, gold, silver, cmu, this.stats);
  }
}

/** A lexicon file from a path, or from a URL (a model mirror on another host). */
async function readJson(where: string): Promise<Record<string, Entry> | undefined> {
  try {
    if (/^https?:\/\//.test(where)) {
      const res = await fetch(where, { signal: AbortSignal.timeout(60_000) });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as Record<string, Entry>;
    }
    return JSON.parse(await readFile(where, "utf8")) as Record<string, Entry>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read lexicon ${where}: ${(err as Error).message}`);
  }
}

/** Where a dialect's misaki lexicons are: paths or URLs (either may be absent), and a name for logs. */
export interface LexiconFiles {
  gold?: string;
  silver?: string;
  from: string;
}

/**
 * The CMU dictionary's entries, read from the package's file as text (rather
 * than imported) so that the big module object does not stay in memory.
 */
async function cmuEntries(): Promise<Array<[string, string]>> {
  const path = fileURLToPath(import.meta.resolve("cmu-pronouncing-dictionary"));
  const text = await readFile(path, "utf8");
  const out: Array<[string, string]> = [];
  for (const m of text.matchAll(/^\s*"((?:[^"\\]|\\.)+)":\s*"([A-Z0-9 ]+)",?$/gm)) {
    if (!m[1]!.includes("(")) out.push([m[1]!.replace(/\\(.)/g, "$1"), m[2]!]); // alternatives "(2)": keep the first
  }
  if (out.length < 100_000)
    throw new Error(`cmu-pronouncing-dictionary: read only ${out.length} entries from ${path}`);
  return out;
}

/** Words the normaliser produces (titles, units, big numbers) that misaki's lexicons lack. */
const SUPPLEMENT: Record<string, Record<Dialect, string>> = {
  miz: { us: "mˈɪz", gb: "mˈɪz" },
  gigahertz: { us: "ɡˈɪɡəhˌɜɹts", gb: "ɡˈɪɡəhˌɜːts" },
  nonillion: { us: "nOnˈɪljən", gb: "nQnˈɪljən" },
  decillion: { us: "dəsˈɪljən", gb: "dɪsˈɪljən" },
  et: { us: "ˈɛt", gb: "ˈɛt" },
  cetera: { us: "sˈɛɾəɹə", gb: "sˈɛtəɹə" },
};

/** Said without stress in running speech (as misaki's gold lexicon writes them). */
const FUNCTION_WORDS = new Set(
  "a an the of to in on at for and or but nor as by with from into onto than that it its is was were be been am are he she we you they him her his us them our your their me my i'm it's has have had do does did can could will would shall should may might must if so".split(
    " ",
  ),
);

/** The CMU dictionary in Kokoro's alphabet, without the words misaki's lexicons already have. */
async function loadCmu(dialect: Dialect, skip: (word: string) => boolean): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [k, arpa] of await cmuEntries()) {
    if (skip(k)) continue;
    const ph = arpabetToKokoro(arpa, dialect, k);
    out.set(k, FUNCTION_WORDS.has(k) ? ph.replace(/[ˈˌ]/g, "") : ph);
  }
  return out;
}

/**
 * `source`: a folder holding `{dialect}_{gold,silver}.json` (LEXICON_DIR), or
 * the files themselves; none: the CMU dictionary alone. `keepAllCmu`: keep CMU
 * entries for words misaki has too (the held-out evaluation needs them).
 */
export async function loadLexicon(
  dialect: Dialect,
  source?: string | LexiconFiles,
  keepAllCmu = false,
): Promise<Lexicon> {
  const t0 = performance.now();
  const sources: string[] = ["cmu-pronouncing-dictionary"];
  const missing: string[] = [];
  const gold = new Map<string, Entry>();
  const silver = new Map<string, Entry>();
  const files: LexiconFiles | undefined =
    typeof source === "string"
      ? {
          gold: join(source, `${dialect}_gold.json`),
          silver: join(source, `${dialect}_silver.json`),
          from: source,
        }
      : source;
  if (files) {
    const [g, s] = await Promise.all([
      files.gold ? readJson(files.gold) : undefined,
      files.silver ? readJson(files.silver) : undefined,
    ]);
    if (!g) missing.push(files.gold ?? `${dialect}_gold.json`);
    if (!s) missing.push(files.silver ?? `${dialect}_silver.json`);
    if (g) {
      for (const [k, v] of Object.entries(g)) gold.set(k, v);
      sources.unshift(`${dialect}_gold.json`);
    }
    if (s) {
      for (const [k, v] of Object.entries(s)) silver.set(k, v);
      sources.splice(g ? 1 : 0, 0, `${dialect}_silver.json`);
    }
  }
  // words the normaliser says that misaki's lexicons lack
  for (const [w, ph] of Object.entries(SUPPLEMENT))
    if (!gold.has(w) && !silver.has(w)) silver.set(w, ph[dialect]);
  const cmu = await loadCmu(dialect, (w) => !keepAllCmu && (gold.has(w) || silver.has(w)));
  const stats: LexiconStats = {
    dialect,
    gold: gold.size,
    silver: silver.size,
    cmu: cmu.size,
    load_ms: Math.round(performance.now() - t0),
    sources,
    missing,
  };
  return new Lexicon(dialect, gold, silver, cmu, stats);
}
