/** Test data from ../shared (never copied into the repo): lexicons and Kokoro's config.json. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Language } from "@kokoro-edge/proto";
import { dialectOf, isEnglish, type Resources } from "../src/engine";
import { loadLexicon, type Lexicon } from "../src/pronounce/lexicon";
import { loadVocabFile, type Vocab } from "../src/vocab";

export const SHARED_DIR = process.env.SHARED_DIR ?? resolve(import.meta.dir, "../../../../shared");
export const LEXICON_DIR = join(SHARED_DIR, "lexicons/misaki");
export const KOKORO_CONFIG = join(SHARED_DIR, "kokoro/config.json");

if (!existsSync(KOKORO_CONFIG)) throw new Error(`test data missing: ${KOKORO_CONFIG} (set SHARED_DIR)`);

let vocab: Promise<Vocab> | undefined;
const lexicons = new Map<Language, Promise<Lexicon>>();

export async function resources(language: Language = "en-us"): Promise<Resources> {
  vocab ??= loadVocabFile(KOKORO_CONFIG);
  if (!isEnglish(language)) language = "en-us"; // the English words of other languages
  let lx = lexicons.get(language);
  if (!lx) {
    lx = loadLexicon(dialectOf(language), LEXICON_DIR);
    lexicons.set(language, lx);
  }
  return { vocab: await vocab, lexicon: await lx };
}
