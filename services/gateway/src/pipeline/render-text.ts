import { concatInt16 } from "@kokoro-edge/runtime";
import { speak, type SpeakDeps } from "./speak";

export type RenderTextDeps = SpeakDeps;

/**
 * A piece is rendered whole before any of it is heard, so it needs no short
 * first chunk (that is for first audio): its first chunk is as long as the
 * later ones, which sound best (a subtitle cue is usually one chunk).
 */
export const WHOLE_PIECE_FIRST_CHUNK_TOKENS = 200;

export interface RenderTextRequest {
  text: string;
  voice: string;
  speed: number;
  signal?: AbortSignal;
  requestId: string;
}

/**
 * One piece of text to PCM through the speech pipeline (speak.ts). The speech ends where the words
 * end: no pause after the last chunk, so a subtitle cue's length is its speech. Empty text is silence.
 */
export async function renderText(deps: RenderTextDeps, req: RenderTextRequest): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const pcm of streamText(deps, req)) parts.push(pcm);
  return concatInt16(parts);
}

/** renderText as the audio arrives (each synth message's samples, copied), for pieces too long to hold whole. */
export async function* streamText(deps: RenderTextDeps, req: RenderTextRequest): AsyncGenerator<Int16Array> {
  if (!req.text.trim()) return;
  const { events } = await speak(deps, {
    ...req,
    firstChunkTokens: WHOLE_PIECE_FIRST_CHUNK_TOKENS,
    endWithWords: true,
  });
  if (!events) return;
  for await (const ev of events) if (ev.type === "audio") yield ev.pcm.slice();
}
