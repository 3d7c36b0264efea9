/**
 * The one speech pipeline: text -> g2p (normalise, phonemes, chunks) -> a synth stream (scheduling,
 * credit, failover and hedging in synth-client.ts). Every route makes speech through it: the speech
 * endpoint (audio or SSE), subtitle cues and jobs (render-text.ts), and the realtime sockets (which
 * run the two halves apart, so a phrase's g2p overlaps the previous phrase's audio).
 */
import type { SynthChunk } from "@kokoro-edge/proto";
import type { Bus, Logger } from "@kokoro-edge/runtime";
import { phonemize } from "./g2p-client";
import { synthChunks } from "./plan";
import { synthesize, type SynthEvent, type SynthesizeOptions } from "./synth-client";

/** How every synth stream of this gateway behaves (built once from its configuration: stream-options.ts). */
export type SynthStreamOptions = Omit<SynthesizeOptions, "log" | "signal">;

export interface SpeakDeps {
  bus: Bus;
  log: Logger;
  synth: SynthStreamOptions;
}

export interface TextToSpeak {
  text: string;
  /** A voice name or a mix; its first letter picks the language unless `language` is given. */
  voice: string;
  language?: string;
  pronunciations?: Record<string, string>;
  /** Target size of the first chunk; a short one makes the first audio come sooner. */
  firstChunkTokens?: number;
  /** Speech that ends where its words end, with no pause after the last chunk (a subtitle cue). */
  endWithWords?: boolean;
}

export interface StreamRequest {
  requestId: string;
  voice: string;
  speed: number;
  signal?: AbortSignal;
  /** The words' timings are wanted (default true); without, the worker sends audio only (less work before the first audio). */
  wordTimings?: boolean;
}

/** The first half: the synth chunks g2p makes of a text (none when it has no words to say). */
export async function planSpeech(bus: Bus, t: TextToSpeak): Promise<SynthChunk[]> {
  const g2p = await phonemize(bus, {
    text: t.text,
    voice: t.voice,
    language: t.language,
    pronunciations: t.pronunciations,
    first_chunk_tokens: t.firstChunkTokens,
  });
  const chunks = synthChunks(g2p);
  if (t.endWithWords && chunks.length) chunks[chunks.length - 1]!.pause_after_s = 0;
  return chunks;
}

/** The second half: a synth stream for those chunks (start, then words and audio, then end). */
export function speakChunks(
  deps: SpeakDeps,
  chunks: SynthChunk[],
  r: StreamRequest,
): AsyncGenerator<SynthEvent> {
  return synthesize(
    deps.bus,
    {
      v: 1,
      request_id: r.requestId,
      voice: r.voice,
      speed: r.speed,
      chunks: r.wordTimings === false ? chunks.map(({ words: _, ...c }) => c) : chunks,
    },
    { ...deps.synth, signal: r.signal, log: deps.log },
  );
}

/** Both halves: a text's chunks and the stream that speaks them (no stream when there is nothing to say). */
export async function speak(
  deps: SpeakDeps,
  req: TextToSpeak & StreamRequest,
): Promise<{ chunks: SynthChunk[]; events: AsyncGenerator<SynthEvent> | undefined }> {
  const chunks = await planSpeech(deps.bus, req);
  return { chunks, events: chunks.length ? speakChunks(deps, chunks, req) : undefined };
}
