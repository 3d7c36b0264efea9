/**
 * Pronunciation lexicons in Kokoro's alphabet: misaki's gold and silver
 * dictionaries when a folder holds them (gold outranks silver), over the CMU
 * dictionary mapped from ARPAbet, which is always there.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { arpabetToKokoro, type Dialect } from "./arpabet";
import { lexiconKey, readCachedLexicon, writeCachedLexicon, type PackedLexicon } from "./lexicon-cache";
import { PackedDict } from "./packed";

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

/** What a lexicon lookup reads: a packed dictionary, or one with some words taken out (evaluation). */
interface Dict {
  get(word: string): string | undefined;
  has(word: string): boolean;
}

/** A dictionary without some words (the held-out evaluation's copies, without copying). */
class Without implements Dict {
  constructor(
    private readonly base: Dict,
    private readonly removed: ReadonlySet<string>,
  ) {}
  get(word: string) {
    return this.removed.has(word) ? undefined : this.base.get(word);
  }
  has(word: string) {
    return !this.removed.has(word) && this.base.has(word);
  }
}

/** Heteronym entries (phonemes by part of speech) are stored as this mark and their JSON. */
const RECORD = "\u0001";
const encodeEntry = (e: Entry): string => (typeof e === "string" ? e : RECORD + JSON.stringify(e));
const decodeEntry = (v: string | undefined): Entry | undefined =>
  v === undefined ? undefined : v.startsWith(RECORD) ? (JSON.parse(v.slice(1)) as Entry) : v;

export class Lexicon {
  constructor(
    readonly dialect: Dialect,
    private readonly gold: Dict,
    private readonly silver: Dict,
    private readonly cmu: Dict,
    readonly stats: LexiconStats,
  ) {}

  /** Exact key: gold, then silver, then CMU (lowercase keys only). */
  get(word: string): Entry | undefined {
    return this.getMisaki(word) ?? this.cmu.get(word);
  }

  has(word: string): boolean {
    return this.gold.has(word) || this.silver.has(word) || this.cmu.has(word);
  }

  /** Gold/silver only (the misaki lexicons). */
  getMisaki(word: string): Entry | undefined {
    return decodeEntry(this.gold.get(word) ?? this.silver.get(word));
  }

  getGold(word: string): Entry | undefined {
    return decodeEntry(this.gold.get(word));
  }

  /** A copy without some words in gold only (for the held-out evaluation). */
  withoutGold(words: Iterable<string>): Lexicon {
    return new Lexicon(
      this.dialect,
      new Without(this.gold, new Set(words)),
      this.silver,
      this.cmu,
      this.stats,
    );
  }

  /** A copy without some words in every lexicon (for the held-out evaluation). */
  without(words: Iterable<string>): Lexicon {
    const removed = new Set<string>();
    for (const w of words) removed.add(w).add(w.toLowerCase());
    const cut = (d: Dict) => new Without(d, removed);
    return new Lexicon(this.dialect, cut(this.gold), cut(this.silver), cut(this.cmu), this.stats);
  }
}

/** A lexicon file from a path, or from a URL (a model mirror on another host). */
async function readLexiconText(where: string): Promise<string | undefined> {
  try {
    if (/^https?:\/\//.test(where)) {
      const res = await fetch(where, { signal: AbortSignal.timeout(60_000) });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return await res.text();
    }
    return await readFile(where, "utf8");
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
const cmuText = () => readFile(fileURLToPath(import.meta.resolve("cmu-pronouncing-dictionary")), "utf8");

function cmuEntries(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of text.matchAll(/^\s*"((?:[^"\\]|\\.)+)":\s*"([A-Z0-9 ]+)",?$/gm)) {
    if (!m[1]!.includes("(")) out.push([m[1]!.replace(/\\(.)/g, "$1"), m[2]!]); // alternatives "(2)": keep the first
  }
  if (out.length < 100_000) throw new Error(`cmu-pronouncing-dictionary: read only ${out.length} entries`);
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
function* cmuInKokoro(text: string, dialect: Dialect, skip: (word: string) => boolean) {
  for (const [k, arpa] of cmuEntries(text)) {
    if (skip(k)) continue;
    const ph = arpabetToKokoro(arpa, dialect, k);
    yield [k, FUNCTION_WORDS.has(k) ? ph.replace(/[ˈˌ]/g, "") : ph] as [string, string];
  }
}

/**
 * `source`: a folder holding `{dialect}_{gold,silver}.json` (LEXICON_DIR), or
 * the files themselves; none: the CMU dictionary alone. `keepAllCmu`: keep CMU
 * entries for words misaki has too (the held-out evaluation needs them).
 * `cacheDir` (DATA_DIR): the packed lexicon is kept there under a checksum of
 * everything it is made from, so a later start reads it back without parsing JSON.
 */
export async function loadLexicon(
  dialect: Dialect,
  source?: string | LexiconFiles,
  keepAllCmu = false,
  cacheDir?: string,
): Promise<Lexicon> {
  const t0 = performance.now();
  const sources: string[] = ["cmu-pronouncing-dictionary"];
  const missing: string[] = [];
  const files: LexiconFiles | undefined =
    typeof source === "string"
      ? {
          gold: join(source, `${dialect}_gold.json`),
          silver: join(source, `${dialect}_silver.json`),
          from: source,
        }
      : source;
  const [goldText, silverText, cmu] = await Promise.all([
    files?.gold ? readLexiconText(files.gold) : undefined,
    files?.silver ? readLexiconText(files.silver) : undefined,
    cmuText(),
  ]);
  if (files && !goldText) missing.push(files.gold ?? `${dialect}_gold.json`);
  if (files && !silverText) missing.push(files.silver ?? `${dialect}_silver.json`);
  if (silverText) sources.unshift(`${dialect}_silver.json`);
  if (goldText) sources.unshift(`${dialect}_gold.json`);
  const key = await lexiconKey([dialect, String(keepAllCmu), goldText ?? "", silverText ?? "", cmu]);
  const packed =
    (cacheDir && (await readCachedLexicon(cacheDir, dialect, key))) ||
    packLexicon(dialect, goldText, silverText, cmu, keepAllCmu);
  if (cacheDir) await writeCachedLexicon(cacheDir, dialect, key, packed);
  const stats: LexiconStats = {
    dialect,
    gold: packed.gold.size,
    silver: packed.silver.size,
    cmu: packed.cmu.size,
    load_ms: Math.round(performance.now() - t0),
    sources,
    missing,
  };
  return new Lexicon(dialect, packed.gold, packed.silver, packed.cmu, stats);
}

/** The three dictionaries of a dialect, packed (the JSON objects are garbage once this returns). */
function packLexicon(
  dialect: Dialect,
  goldText: string | undefined,
  silverText: string | undefined,
  cmu: string,
  keepAllCmu: boolean,
): PackedLexicon {
  const parse = (text: string | undefined, what: string) => {
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, Entry>;
    } catch (err) {
      throw new Error(`cannot read lexicon ${what}: ${(err as Error).message}`);
    }
  };
  const gold = parse(goldText, `${dialect}_gold.json`);
  const silver = parse(silverText, `${dialect}_silver.json`);
  // words the normaliser says that misaki's lexicons lack
  for (const [w, ph] of Object.entries(SUPPLEMENT))
    if (!Object.hasOwn(gold, w) && !Object.hasOwn(silver, w)) silver[w] = ph[dialect];
  const inMisaki = (w: string) => Object.hasOwn(gold, w) || Object.hasOwn(silver, w);
  const pack = (o: Record<string, Entry>) =>
    PackedDict.fromEntries(Object.entries(o).map(([k, v]) => [k, encodeEntry(v)] as const));
  return {
    gold: pack(gold),
    silver: pack(silver),
    cmu: PackedDict.fromEntries(cmuInKokoro(cmu, dialect, (w) => !keepAllCmu && inMisaki(w))),
  };
}
