/**
 * es, fr-fr, hi, it and pt-br agree with Debian's `espeak-ng --ipa` after misaki's mapping: 200
 * words per language (services/g2p/corpus/words/), each read by the whole g2p pipeline (normaliser,
 * phrase reader, the long-lived espeak-ng process, vocab) against one plain command-line run of
 * espeak-ng over the list, mapped by the documented table (espeak-languages.ts).
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Language } from "@kokoro-edge/proto";
import { phonemizeText } from "../src/engine";
import { ESPEAK_VOICES, espeakIpaToKokoro } from "../src/pronounce/espeak-languages";
import { resources } from "./shared";

const espeak = spawnSync("espeak-ng", ["--version"]).status === 0;
const LANGUAGES: Language[] = ["es", "fr-fr", "hi", "it", "pt-br"];

const wordList = (language: Language) =>
  readFileSync(join(import.meta.dir, "../corpus/words", `${language}.txt`), "utf8")
    .split("\n")
    .map((w) => w.trim())
    .filter((w) => w && !w.startsWith("#"));

(espeak ? describe : describe.skip)("agreement with espeak-ng --ipa, 200 words per language", () => {
  for (const language of LANGUAGES)
    test(
      language,
      async () => {
        const words = wordList(language);
        expect(words.length).toBeGreaterThanOrEqual(200);
        expect(new Set(words).size).toBe(words.length);
        const cli = spawnSync("espeak-ng", ["-q", "--ipa", "--tie=^", "-v", ESPEAK_VOICES[language]!], {
          input: words.join("\n") + "\n",
          encoding: "utf8",
        });
        const lines = cli.stdout.split("\n").filter((l) => l.trim());
        expect(lines.length).toBe(words.length);
        const res = await resources(language);
        const misses: string[] = [];
        for (let i = 0; i < words.length; i++) {
          const expected = res.vocab.clean(espeakIpaToKokoro(lines[i]!.replace(/\([a-z-]+\)/g, "")));
          const r = await phonemizeText(words[i]!, { language, firstChunkTokens: 30, chunkTokens: 200 }, res);
          const got = r.chunks.flatMap((c) => c.words.map((w) => w.phonemes)).join(" ");
          if (got !== expected) misses.push(`${words[i]}: ${got} vs ${expected}`);
        }
        const agreement = 1 - misses.length / words.length;
        console.log(
          `${language}: ${(agreement * 100).toFixed(1)}% of ${words.length} words agree${misses.length ? `; ${misses.slice(0, 5).join("; ")}` : ""}`,
        );
        expect(misses).toEqual([]);
      },
      60_000,
    );
});
