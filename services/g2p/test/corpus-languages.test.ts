/**
 * The hand-written corpora of es, fr-fr, hi, it, pt-br, ja and zh (corpus/<language>.txt), each
 * case through the whole g2p pipeline in its language: the spoken words as the language's own
 * rules read them, and every word with a letter in it spoken (mixed scripts are not dropped).
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Language } from "@kokoro-edge/proto";
import { LANGUAGE_CORPORA, loadCorpus, runCase } from "../corpus/corpus";
import { phonemizeText } from "../src/engine";
import { resources } from "./shared";

const espeak = spawnSync("espeak-ng", ["--version"]).status === 0;
/** Languages read through espeak-ng need it; ja and zh do not. */
const needsEspeak = (l: Language) => l !== "ja" && l !== "zh";

for (const [language, path] of Object.entries(LANGUAGE_CORPORA) as Array<[Language, string]>) {
  (espeak || !needsEspeak(language) ? describe : describe.skip)(`corpus ${language}`, () => {
    const cases = existsSync(path) ? loadCorpus(path, language) : [];

    test("has at least 40 cases over numbers, dates, money, abbreviations, punctuation and mixed scripts", () => {
      expect(cases.length).toBeGreaterThanOrEqual(40);
      expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(6);
    });

    test("every case reads as written, and every word with a letter is spoken", async () => {
      const failures: string[] = [];
      for (const c of cases) {
        const o = await runCase(c, resources);
        if (!o.ok) failures.push(`line ${c.line}: ${JSON.stringify(c.input)}: ${o.problems.join("; ")}`);
        const r = await phonemizeText(
          c.input,
          { language, firstChunkTokens: 30, chunkTokens: 200 },
          await resources(language),
        );
        for (const w of r.chunks.flatMap((ch) => ch.words))
          if (/\p{L}/u.test(w.normalized) && !w.phonemes)
            failures.push(`line ${c.line}: "${w.text}" (${w.normalized}) has no phonemes`);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  });
}
