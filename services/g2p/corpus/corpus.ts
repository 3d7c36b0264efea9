/** Loads the hand-written corpus (corpus/en.txt) and checks the pipeline against it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { G2pResult, Language } from "@kokoro-edge/proto";
import { phonemizeText, type Resources } from "../src/engine";

export interface CorpusCase {
  category: string;
  line: number;
  language: Language;
  input: string;
  expected: string;
  phonemes: Array<[word: string, phonemes: string]>;
}

/** The corpus files of the languages other than English, by language (corpus/<language>.txt). */
export const LANGUAGE_CORPORA: Partial<Record<Language, string>> = Object.fromEntries(
  (["es", "fr-fr", "hi", "it", "pt-br", "ja", "zh"] as const).map((l) => [
    l,
    join(import.meta.dir, `${l}.txt`),
  ]),
);

/** A corpus file's cases; `language` for every case of a language's own file (en.txt marks en-gb cases with "gb:"). */
export function loadCorpus(path = join(import.meta.dir, "en.txt"), fileLanguage?: Language): CorpusCase[] {
  const out: CorpusCase[] = [];
  let category = "";
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, "");
      if (line.startsWith("## ")) category = line.slice(3).trim();
      // comments start with "# " (a case may start with "#", as in "#1" or "#blessed")
      if (!line.trim() || line.startsWith("# ") || line.startsWith("## ") || line === "#") return;
      const [lhs, rhsAll] = line.split(" => ");
      if (rhsAll === undefined) throw new Error(`corpus line ${i + 1}: no " => "`);
      const [rhs, checks] = rhsAll.split(" @@ ");
      let input = lhs!;
      let language: Language = fileLanguage ?? "en-us";
      if (!fileLanguage && input.startsWith("gb:")) {
        language = "en-gb";
        input = input.slice(3);
      }
      input = input.replace(/\\n/g, "\n");
      const phonemes = (checks ?? "")
        .split(" ")
        .filter(Boolean)
        .map((c) => {
          const eq = c.indexOf("=");
          return [c.slice(0, eq), c.slice(eq + 1).replace(/_/g, " ")] as [string, string];
        });
      out.push({ category, line: i + 1, language, input, expected: rhs!.trim(), phonemes });
    });
  return out;
}

/** Case, punctuation and hyphens carry no meaning in spoken words; nor spaces in Chinese and Japanese, written without them. */
export function comparable(s: string, language?: Language): string {
  const out = s
    .toLowerCase()
    .replace(/-/g, " ")
    .replace(/[^\p{L}\p{M}\p{N}' ]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return language === "ja" || language === "zh" ? out.replace(/ /g, "") : out;
}

const PUNCT = /[;:,.!?—…"()“”]/g;

export interface CaseOutcome {
  case: CorpusCase;
  ok: boolean;
  got: string;
  problems: string[];
}

export async function runCase(c: CorpusCase, res: (l: Language) => Promise<Resources>): Promise<CaseOutcome> {
  let r: G2pResult;
  try {
    r = await phonemizeText(
      c.input,
      { language: c.language, firstChunkTokens: 30, chunkTokens: 200 },
      await res(c.language),
    );
  } catch (err) {
    return { case: c, ok: false, got: `error: ${(err as Error).message}`, problems: ["threw"] };
  }
  const problems: string[] = [];
  if (comparable(r.normalized, c.language) !== comparable(c.expected, c.language))
    problems.push(
      `said "${comparable(r.normalized, c.language)}", expected "${comparable(c.expected, c.language)}"`,
    );
  const words = r.chunks.flatMap((ch) => ch.words);
  for (const [w, ph] of c.phonemes) {
    const hit = words.find(
      (x) =>
        x.normalized.toLowerCase() === w.toLowerCase() ||
        x.text.replace(/^[^\p{L}]+|[^\p{L}']+$/gu, "") === w,
    );
    if (!hit) problems.push(`no word "${w}"`);
    else if (hit.phonemes.replace(PUNCT, "") !== ph)
      problems.push(`${w}: got /${hit.phonemes.replace(PUNCT, "")}/, expected /${ph}/`);
  }
  return { case: c, ok: problems.length === 0, got: r.normalized, problems };
}
