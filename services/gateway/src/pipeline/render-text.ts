import { concatInt16, type Bus, type Logger } from "@kokoro-edge/runtime";
import { phonemize } from "./g2p-client";
import { synthChunks } from "./plan";
import { synthesize, type SynthesizeOptions } from "./synth-client";

export type RenderTextDeps = { bus: Bus; log: Logger } & Omit<SynthesizeOptions, "log" | "signal">;

/**
 * A piece is rendered whole before any of it is heard, so it needs no short
 * first chunk (that is for first audio): its first chunk is as long as the
 * later ones, which sound best (a subtitle cue is usually one chunk).
 */
export const WHOLE_PIECE_FIRST_CHUNK_TOKENS = 200;

/**
 * One piece of text to PCM through g2p and the synth replicas (with their
 * failover). The speech ends where the words end: no pause after the last
 * chunk, so a subtitle cue's length is its speech. Empty text is silence.
 */
export async function renderText(deps: RenderTextDeps, req: RenderTextRequest): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const pcm of streamText(deps, req)) parts.push(pcm);
  return concatInt16(parts);
}

export interface RenderTextRequest {
  text: string;
  voice: string;
  speed: number;
  signal?: AbortSignal;
  requestId: string;
}

/** renderText as the audio arrives (each synth message's samples, copied), for pieces too long to hold whole. */
export async function* streamText(deps: RenderTextDeps, req: RenderTextRequest): AsyncGenerator<Int16Array> {
  if (!req.text.trim()) return;
  const g2p = await phonemize(deps.bus, {
    text: req.text,
    voice: req.voice,
    first_chunk_tokens: WHOLE_PIECE_FIRST_CHUNK_TOKENS,
  });
  const chunks = synthChunks(g2p);
  if (chunks.length === 0) return;
  chunks[chunks.length - 1]!.pause_after_s = 0;
  const events = synthesize(
    deps.bus,
    { v: 1, request_id: req.requestId, voice: req.voice, speed: req.speed, chunks },
    { ...deps, signal: req.signal },
  );
  for await (const ev of events) if (ev.type === "audio") yield ev.pcm.slice();
}
