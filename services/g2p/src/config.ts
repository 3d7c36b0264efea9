import { z } from "zod";
import { boolVar, commonConfig, emptyToUndefined, intVar, numVar } from "@kokoro-edge/runtime";
import { MAX_CHUNK_TOKENS } from "@kokoro-edge/proto";
import { DEFAULT_CHUNK_GROWTH } from "./chunk";

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

export const g2pConfig = commonConfig.extend({
  /** Folder with misaki's us_gold.json, us_silver.json, gb_gold.json, gb_silver.json. Unset: CMU dictionary only. */
  LEXICON_DIR: optionalString,
  /** Kokoro's tokenizer.json or config.json (for the vocab). Unset: the model mirror's, and until it has one, Kokoro v1.0's built-in vocab. */
  KOKORO_CONFIG: optionalString,
  HEALTH_PORT: intVar(8082, 0, 65535),
  /** The address the health port binds (as the gateway's HOST): 127.0.0.1 keeps it off the network. */
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Target tokens of the first chunk: a few words, so the first audio comes fast (a comma up to twice this wins). */
  G2P_FIRST_CHUNK_TOKENS: intVar(15, 1, MAX_CHUNK_TOKENS),
  /** Target tokens of later chunks (Kokoro sounds best around 100-250). */
  G2P_CHUNK_TOKENS: intVar(200, 1, MAX_CHUNK_TOKENS),
  /** Each chunk's target may be this many times the one before, up to G2P_CHUNK_TOKENS (the ramp after the short first chunk). */
  G2P_CHUNK_GROWTH: numVar(DEFAULT_CHUNK_GROWTH, 1, 100),
  /** Use espeak-ng (WebAssembly) for words no lexicon knows; off: letter-to-sound rules. */
  G2P_ESPEAK: boolVar(true),
  /** Languages whose lexicons load at start-up (the others load on first use). */
  G2P_PRELOAD: z.preprocess(emptyToUndefined, z.string().default("en-us")),
  /** First wait before asking the mirror for the vocab again while it has none, ms (doubles up to 5 min; a new mirror version is taken at once). */
  G2P_MIRROR_RETRY_MS: intVar(5_000, 100, 600_000),
});
export type G2pConfig = z.infer<typeof g2pConfig>;
