import { z } from "zod";
import { contractVersion, ErrorReply } from "./common";
import { MAX_CHUNK_TOKENS } from "./version";

/**
 * The languages g2p speaks, as Kokoro names them (misaki's / espeak-ng's tags). A voice's first
 * letter picks one: a en-us, b en-gb, e es, f fr-fr, h hi, i it, j ja, p pt-br, z zh.
 */
export const Language = z.enum(["en-us", "en-gb", "es", "fr-fr", "hi", "it", "pt-br", "ja", "zh"]);
export type Language = z.infer<typeof Language>;

export const G2pRequest = z.object({
  v: contractVersion,
  text: z.string(),
  /** Voice name or mix; its first letter picks the language when `language` is absent. */
  voice: z.string().optional(),
  language: z.string().optional(),
  /** Per-request lexicon override: word -> phonemes in Kokoro's alphabet. */
  pronunciations: z.record(z.string(), z.string()).optional(),
  /** Target size of the first chunk (short, so the first audio comes fast). */
  first_chunk_tokens: z.number().int().min(1).max(MAX_CHUNK_TOKENS).optional(),
  /** Target size of later chunks. */
  chunk_tokens: z.number().int().min(1).max(MAX_CHUNK_TOKENS).optional(),
});
export type G2pRequest = z.infer<typeof G2pRequest>;

/** One spoken word, with the span of the input it came from. */
export const G2pWord = z.object({
  /** The original text of the span (`input.slice(start, end)`). */
  text: z.string(),
  /** Character offsets into the request's `text` (UTF-16 code units). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The words as they will be spoken. */
  normalized: z.string(),
  phonemes: z.string(),
  /** Token span inside the chunk's `tokens` (end exclusive). */
  token_start: z.number().int().nonnegative(),
  token_end: z.number().int().nonnegative(),
});
export type G2pWord = z.infer<typeof G2pWord>;

export const G2pChunk = z.object({
  index: z.number().int().nonnegative(),
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  normalized: z.string(),
  phonemes: z.string(),
  /** Token ids without the pad tokens; at most 510. */
  tokens: z.array(z.number().int().min(0)).max(MAX_CHUNK_TOKENS),
  /** Silence to put after this chunk, in seconds (punctuation, [pause:] tags, paragraphs). */
  pause_after_s: z.number().min(0).max(60),
  words: z.array(G2pWord),
});
export type G2pChunk = z.infer<typeof G2pChunk>;

export const G2pResult = z.object({
  v: contractVersion,
  language: Language,
  normalized: z.string(),
  phonemes: z.string(),
  chunks: z.array(G2pChunk),
  /** Why the text may not sound right in this language (another script, another language's words). */
  warnings: z.array(z.string()).optional(),
});
export type G2pResult = z.infer<typeof G2pResult>;

export const G2pReply = z.union([G2pResult, ErrorReply]);
export type G2pReply = z.infer<typeof G2pReply>;

/** The public view of a G2P result (the body of the gateway's POST /v1/audio/phonemize). */
export interface PhonemizeView {
  language: string;
  /** Why the text may not sound right in this language (absent when it fits). */
  warnings?: string[];
  normalized: string;
  phonemes: string;
  /** Token ids of all chunks, in order (each chunk goes to the model on its own, between pad tokens). */
  tokens: number[];
  chunks: Array<{
    text: string;
    normalized: string;
    phonemes: string;
    tokens: number[];
    pause_after_s: number;
    words: Array<{ text: string; start: number; end: number; normalized: string; phonemes: string }>;
  }>;
}

export function phonemizeView(result: G2pResult, input: string): PhonemizeView {
  return {
    language: result.language,
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    normalized: result.normalized,
    phonemes: result.phonemes,
    tokens: result.chunks.flatMap((c) => c.tokens),
    chunks: result.chunks.map((c) => ({
      text: input.slice(c.start, c.end),
      normalized: c.normalized,
      phonemes: c.phonemes,
      tokens: c.tokens,
      pause_after_s: c.pause_after_s,
      words: c.words.map((w) => ({
        text: input.slice(w.start, w.end),
        start: w.start,
        end: w.end,
        normalized: w.normalized,
        phonemes: w.phonemes,
      })),
    })),
  };
}

/** The accept reply of the streamed g2p form; then one G2pChunk per message. */
export const G2pStreamAccept = z.object({
  v: contractVersion,
  language: Language,
  warnings: z.array(z.string()).optional(),
});
export type G2pStreamAccept = z.infer<typeof G2pStreamAccept>;

/** The end message of the streamed form: how many chunks were sent. */
export const G2pStreamEnd = z.object({
  v: contractVersion,
  language: Language,
  chunks: z.number().int().nonnegative(),
});
export type G2pStreamEnd = z.infer<typeof G2pStreamEnd>;

/** A G2pResult from the chunks of the streamed form. */
export function g2pResultFromChunks(language: Language, chunks: G2pChunk[], warnings?: string[]): G2pResult {
  return {
    v: 1,
    language,
    ...(warnings?.length ? { warnings } : {}),
    normalized: chunks
      .map((c) => c.normalized)
      .filter(Boolean)
      .join(" "),
    phonemes: chunks
      .map((c) => c.phonemes)
      .filter(Boolean)
      .join(" "),
    chunks,
  };
}
