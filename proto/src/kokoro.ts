/**
 * Facts about the files the platform runs on, shared by the mirror (what to
 * fetch), synth (which model file to load) and g2p (where the vocab and the
 * lexicons are). They are facts of the published artefacts, not settings.
 */
import { z } from "zod";
import type { Language } from "./g2p";

/** Kokoro's voice prefixes (a voice name's first letter) and the language each speaks. */
export const VOICE_PREFIX_LANGUAGE: Readonly<Record<string, Language>> = {
  a: "en-us",
  b: "en-gb",
  e: "es",
  f: "fr-fr",
  h: "hi",
  i: "it",
  j: "ja",
  p: "pt-br",
  z: "zh",
};

/** The language a voice speaks by Kokoro's naming (`ff_siwis`: fr-fr), or undefined outside it. */
export function voiceLanguage(voice: string): Language | undefined {
  const first = voice.trim()[0]?.toLowerCase() ?? "";
  return Object.hasOwn(VOICE_PREFIX_LANGUAGE, first) ? VOICE_PREFIX_LANGUAGE[first] : undefined;
}

/** The public ONNX export of Kokoro-82M v1.0 on Hugging Face. */
export const KOKORO_REPO = "onnx-community/Kokoro-82M-v1.0-ONNX";

/**
 * The eight variants of one model in that repo's `onnx/` folder, by the dtype
 * names kokoro-js and transformers.js use.
 */
export const MODEL_VARIANTS = {
  fp32: "onnx/model.onnx",
  fp16: "onnx/model_fp16.onnx",
  q8: "onnx/model_quantized.onnx",
  q8f16: "onnx/model_q8f16.onnx",
  uint8: "onnx/model_uint8.onnx",
  uint8f16: "onnx/model_uint8f16.onnx",
  q4: "onnx/model_q4.onnx",
  q4f16: "onnx/model_q4f16.onnx",
} as const;
export const DTYPES = [
  "fp32",
  "fp16",
  "q8",
  "q8f16",
  "uint8",
  "uint8f16",
  "q4",
  "q4f16",
] as const satisfies readonly (keyof typeof MODEL_VARIANTS)[];
export type Dtype = (typeof DTYPES)[number];
export const Dtype = z.enum(DTYPES);

/**
 * The CPU default: the dynamically quantised export (int8 weights, ~92 MB).
 * It is a third of the fp32 download and of the memory a worker holds, and
 * onnxruntime's CPU kernels run its int8 MatMuls natively; the fp16 variants
 * gain nothing on CPUs (most of their ops are cast back to fp32). fp32 stays
 * one variable away for the last bit of quality.
 */
export const DEFAULT_DTYPE: Dtype = "q8";

/** The dtype an `onnx/` path belongs to, if it is one of the eight. */
export function dtypeOfPath(path: string): Dtype | undefined {
  return DTYPES.find((d) => MODEL_VARIANTS[d] === path);
}

/**
 * The 54 voice packs of Kokoro v1.0 (`voices/{name}.bin`). The first letter is
 * the language, the second the gender. Engines without style vectors (the
 * espeak-ng fallback) accept these names before any pack is downloaded.
 */
export const KOKORO_V1_VOICES: readonly string[] = [
  "af_alloy",
  "af_aoede",
  "af_bella",
  "af_heart",
  "af_jessica",
  "af_kore",
  "af_nicole",
  "af_nova",
  "af_river",
  "af_sarah",
  "af_sky",
  "am_adam",
  "am_echo",
  "am_eric",
  "am_fenrir",
  "am_liam",
  "am_michael",
  "am_onyx",
  "am_puck",
  "am_santa",
  "bf_alice",
  "bf_emma",
  "bf_isabella",
  "bf_lily",
  "bm_daniel",
  "bm_fable",
  "bm_george",
  "bm_lewis",
  "ef_dora",
  "em_alex",
  "em_santa",
  "ff_siwis",
  "hf_alpha",
  "hf_beta",
  "hm_omega",
  "hm_psi",
  "if_sara",
  "im_nicola",
  "jf_alpha",
  "jf_gongitsune",
  "jf_nezumi",
  "jf_tebukuro",
  "jm_kumo",
  "pf_dora",
  "pm_alex",
  "pm_santa",
  "zf_xiaobei",
  "zf_xiaoni",
  "zf_xiaoxiao",
  "zf_xiaoyi",
  "zm_yunjian",
  "zm_yunxi",
  "zm_yunxia",
  "zm_yunyang",
];

/** The vocab file of the ONNX export (Hugging Face tokenizers format: `model.vocab`, `"$": 0` the pad). */
export const TOKENIZER_FILE = "tokenizer.json";

/**
 * misaki's pronunciation lexicons (Kokoro's own G2P), pinned to one commit of
 * hexgrad/misaki on GitHub and to the sha256 of each file, so any source that
 * serves them (GitHub's raw files, a peer mirror, a local folder) can be
 * verified byte for byte.
 */
export const MISAKI_REPO = "hexgrad/misaki";
export const MISAKI_COMMIT = "fba1236595f2d2bf21d414ba6e57d25256afada3";
export const MISAKI_LEXICONS: Readonly<Record<string, string>> = {
  "misaki/data/us_gold.json": "dc414872a49a28ae6c141463d502fd945f3b2fde040484fdc47d00cc4612686f",
  "misaki/data/us_silver.json": "de8f67be911bb6c659187b4a65fd966b6a30e56350e0f790d763210b053ac475",
  "misaki/data/gb_gold.json": "29e62f4b60261c88f7f3c2c7811ca3825978948090b72d2b27d565b729282f71",
  "misaki/data/gb_silver.json": "48131e2d92ccc41655f4543e87e0f938e71463eb5a54be7f0693bb712ebb6bce",
};
/** Where a dialect's lexicons sit in the misaki repo. */
export const misakiLexiconPath = (dialect: "us" | "gb", tier: "gold" | "silver") =>
  `misaki/data/${dialect}_${tier}.json`;
