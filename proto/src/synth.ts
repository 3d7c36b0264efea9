import { z } from "zod";
import { contractVersion, ErrorReply } from "./common";
import { MAX_CHUNK_TOKENS } from "./version";

export const SPEED_MIN = 0.25;
export const SPEED_MAX = 4;

/** Words the synth worker times from the model's durations (token spans within the chunk). */
export const SynthWord = z.object({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  token_start: z.number().int().nonnegative(),
  token_end: z.number().int().nonnegative(),
});
export type SynthWord = z.infer<typeof SynthWord>;

export const SynthChunk = z.object({
  index: z.number().int().nonnegative(),
  tokens: z.array(z.number().int().min(0).max(255)).min(1).max(MAX_CHUNK_TOKENS),
  pause_after_s: z.number().min(0).max(60),
  /** The chunk's words as spoken (normalised text), for engines that read text (espeak fallback). */
  text: z.string().optional(),
  /** The chunk's words and their tokens: the worker sends their timings (a words message) before the chunk's audio. Without them, no words message. */
  words: z.array(SynthWord).optional(),
});
export type SynthChunk = z.infer<typeof SynthChunk>;

/**
 * Where a resumed stream starts: the first chunk the consumer has not received
 * completely, and that chunk's sample offset in the stream. The bus stream's
 * `firstSeq` is the sequence number of that chunk's first message and its
 * `fromSeq` the first message the consumer lacks; inference is deterministic,
 * so the new worker's messages are the ones the old worker would have sent.
 */
export const SynthResume = z.object({
  chunk: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});
export type SynthResume = z.infer<typeof SynthResume>;

/** Start (or resume) a synthesis stream. */
export const SynthRequest = z.object({
  v: contractVersion,
  request_id: z.string().min(1),
  /** A voice name or a mix expression such as `af_bella(2)+af_sky(1)`. */
  voice: z.string().min(1),
  speed: z.number().min(SPEED_MIN).max(SPEED_MAX),
  chunks: z.array(SynthChunk).min(1),
  resume: SynthResume.optional(),
  /**
   * Replicas that must not take this stream (a hedge asks for a second
   * replica): one of them rejects it at once with `avoided`, and the consumer asks again.
   */
  avoid_workers: z.array(z.string()).max(16).optional(),
  /** Wall-clock ms (epoch) by which the request must be done; the worker drops it after. */
  deadline_ms: z.number().int().positive().optional(),
});
export type SynthRequest = z.infer<typeof SynthRequest>;
export type SynthRequestInput = z.input<typeof SynthRequest>;

/** First message: who is making the audio. */
export const SynthStart = z.object({
  v: contractVersion,
  engine: z.string(),
  model: z.string(),
  model_version: z.string(),
  voice: z.string(),
  sample_rate: z.number().int().positive(),
  worker: z.string(),
  /**
   * How many of this stream's chunks (from where it resumes) the worker found in its chunk cache
   * before starting: all of them is a cache hit, some a partial one. Absent: the worker has no cache.
   */
  cached_chunks: z.number().int().nonnegative().optional(),
});
export type SynthStart = z.infer<typeof SynthStart>;

export const WordTiming = z.object({
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  start_s: z.number().nonnegative(),
  end_s: z.number().nonnegative(),
});
export type WordTiming = z.infer<typeof WordTiming>;

export const SynthWords = z.object({
  v: contractVersion,
  chunk: z.number().int().nonnegative(),
  words: z.array(WordTiming),
});
export type SynthWords = z.infer<typeof SynthWords>;

export const SynthEnd = z.object({
  v: contractVersion,
  chunks: z.number().int().nonnegative(),
  samples: z.number().int().nonnegative(),
  duration_s: z.number().nonnegative(),
  inference_ms: z.number().nonnegative(),
  /** Chunks served from the chunk cache instead of inferred (absent: the worker has no cache). */
  cached_chunks: z.number().int().nonnegative().optional(),
});
export type SynthEnd = z.infer<typeof SynthEnd>;

/** A voice a synth replica can speak with. */
export const VoiceInfo = z.object({
  name: z.string(),
  /** The language from the name's first letter, as g2p's `language` takes it: en-us, en-gb, es, fr-fr, hi, it, ja, pt-br, zh. */
  language: z.string(),
  gender: z.enum(["female", "male", "unknown"]),
  /** The engine that would speak it now. */
  engine: z.string(),
  /** False when the current engine cannot speak this voice's language. */
  available: z.boolean(),
});
export type VoiceInfo = z.infer<typeof VoiceInfo>;

export const SynthVoicesResult = z.object({
  v: contractVersion,
  engine: z.string(),
  voices: z.array(VoiceInfo),
});
export type SynthVoicesResult = z.infer<typeof SynthVoicesResult>;
export const SynthVoicesReply = z.union([SynthVoicesResult, ErrorReply]);
export type SynthVoicesReply = z.infer<typeof SynthVoicesReply>;
