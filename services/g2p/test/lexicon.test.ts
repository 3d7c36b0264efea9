/** Lexicon layering: CMU alone (no LEXICON_DIR) still gives misaki-style phonemes; gold outranks silver outranks CMU. */
import { expect, test } from "bun:test";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { phonemizeText } from "../src/engine";
import { Pronouncer } from "../src/pronounce";
import { arpabetToKokoro } from "../src/pronounce/arpabet";
import { loadLexicon } from "../src/pronounce/lexicon";
import { resources } from "./shared";

test("CMU only: mapped into Kokoro's alphabet", async () => {
  const lx = await loadLexicon("us");
  expect(lx.stats.sources).toEqual(["cmu-pronouncing-dictionary"]);
  const p = new Pronouncer(lx);
  expect(p.lookup("hello")).toBe("həlˈO");
  expect(p.lookup("water")).toBe("wˈɔɾəɹ");
  expect(p.lookup("cats")).toBe("kˈæts");
  const { vocab } = await resources();
  const r = await phonemizeText(
    "Hello, world! It costs $5.",
    { language: "en-us", firstChunkTokens: 30, chunkTokens: 200 },
    { vocab, lexicon: lx },
  );
  expect(r.phonemes).toBe("həlˈO, wˈɜɹld! ɪt kˈɑsts fˈIv dˈɑləɹz.");
});

test("ARPAbet mapping: stress before the vowel, flaps, British non-rhotic", () => {
  expect(arpabetToKokoro("B AH1 T ER0", "us")).toBe("bˈʌɾəɹ");
  expect(arpabetToKokoro("B AH1 T ER0", "gb")).toBe("bˈʌtə");
  expect(arpabetToKokoro("K AA1 R", "gb")).toBe("kˈɑː");
  expect(arpabetToKokoro("N EY1 SH AH0 N", "us")).toBe("nˈAʃən");
});

test("gold outranks silver outranks CMU; a missing file is reported", async () => {
  const dir = await mkdtemp(join(tmpdir(), "g2p-lex-"));
  await writeFile(join(dir, "us_gold.json"), JSON.stringify({ tomato: "təmˈɑtO" }));
  await writeFile(join(dir, "us_silver.json"), JSON.stringify({ tomato: "təmˈAtO", potato: "pəˈtɑtO" }));
  const lx = await loadLexicon("us", dir);
  const p = new Pronouncer(lx);
  expect(p.lookup("tomato")).toBe("təmˈɑtO");
  expect(p.lookup("potato")).toBe("pəˈtɑtO");
  expect(lx.stats.missing).toEqual([]);
  const gb = await loadLexicon("gb", dir);
  expect(gb.stats.missing.map((m) => m.split("/").pop())).toEqual(["gb_gold.json", "gb_silver.json"]);
  // per-request overrides outrank everything
  expect(new Pronouncer(lx, { tomato: "tˈOmAtO" }).lookup("Tomato")).toBe("tˈOmAtO");
});
