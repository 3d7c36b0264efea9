import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { KOKORO_V1_VOCAB } from "../src/kokoro-vocab";
import { builtInVocab, vocabDifferences, vocabFromConfig } from "../src/vocab";
import { REAL_CONFIG_JSON, tokenizerJson } from "../../../tests/support/upstream";

const hexgradConfig = JSON.parse(readFileSync(join(sharedDir(), "kokoro", "config.json"), "utf8"));

describe("Kokoro's vocab", () => {
  test("the built-in vocab is exactly the one in hexgrad's config.json", () => {
    expect(KOKORO_V1_VOCAB).toEqual(hexgradConfig.vocab);
    expect(vocabDifferences(builtInVocab(), vocabFromConfig(hexgradConfig, "config.json"))).toEqual([]);
  });

  test("tokenizer.json (Hugging Face tokenizers format) gives the same vocab; its pad '$' is not a phoneme", () => {
    const v = vocabFromConfig(JSON.parse(tokenizerJson()), "tokenizer.json");
    expect(v.has("$")).toBe(false);
    expect(v.size).toBe(114);
    expect(vocabDifferences(v, builtInVocab())).toEqual([]);
    expect(v.encode("hˈɛlO")).toEqual(builtInVocab().encode("hˈɛlO"));
  });

  test("the ONNX export's config.json has no vocab, and says where it is", () => {
    expect(() => vocabFromConfig(JSON.parse(REAL_CONFIG_JSON), "config.json")).toThrow(
      'config.json has no "vocab" object (the ONNX export keeps it in tokenizer.json)',
    );
  });

  test("a vocab that differs is described symbol by symbol", () => {
    const other = vocabFromConfig({ vocab: { ...KOKORO_V1_VOCAB, a: 999, ʘ: 200 } }, "x");
    expect(vocabDifferences(other, builtInVocab())).toEqual(['"a" is 999, not 43', '"ʘ" only in the first']);
  });
});
