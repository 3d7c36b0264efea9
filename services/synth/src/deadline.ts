import { SAMPLE_RATE } from "@kokoro-edge/proto";
import type { EpochMs } from "./clock";

/** What a stream knows when it queues a chunk. */
export interface ChunkTiming {
  epochNow: EpochMs;
  /** When the stream's first audio was ready; undefined for its first chunk. */
  playbackStart?: EpochMs;
  /** Sample offset where this chunk's audio begins, and where this stream (or its resume) began. */
  audioBefore: number;
  startOffset: number;
  /** The request's own deadline, if it set one. */
  requestDeadline?: EpochMs;
  /** Expected inference time of this chunk (ms). */
  expectedMs: number;
  /** Start chunks that are not due soon just in time, while the worker is contended. */
  justInTime: boolean;
}

/** Margin kept before a just-in-time chunk's deadline, on top of twice its expected inference time. */
export const JUST_IN_TIME_MARGIN_MS = 750;

/**
 * When a chunk is due and when it may start. A later chunk is due when the
 * audio already sent for its stream would run out at real-time playback; a
 * new stream's first chunk is due now. Chunks that are not due soon get a
 * `notBefore` so that, while streams share the worker, they leave the slot to
 * first chunks that arrive meanwhile.
 */
export function chunkSchedule(t: ChunkTiming): { first: boolean; deadline: number; notBefore?: number } {
  const first = isFirstChunk(t.playbackStart);
  const due = first ? t.epochNow : t.playbackStart! + ((t.audioBefore - t.startOffset) / SAMPLE_RATE) * 1000;
  const deadline = Math.min(due, t.requestDeadline ?? Infinity);
  const notBefore = first || !t.justInTime ? undefined : deadline - 2 * t.expectedMs - JUST_IN_TIME_MARGIN_MS;
  return { first, deadline, notBefore };
}

/** A chunk queued before its stream has any audio is the stream's first (so is a resumed stream's first). */
export function isFirstChunk(playbackStart: number | undefined): boolean {
  return playbackStart === undefined;
}

/** A chunk a stream has not queued yet, as far as it can tell before it is made. */
export interface ChunkEstimate {
  /** Expected inference time (ms; 0 for a chunk the cache holds). */
  expectedMs: number;
  /** Expected audio: speech and the pause after it (s). */
  audioS: number;
}

/**
 * When chunks not queued yet will be due, and may start, in ms after the
 * stream's first audio (as chunkSchedule would say once they are queued):
 * `audioBeforeS` seconds of the stream's audio play before the first of them.
 */
export function planAhead(
  chunks: ChunkEstimate[],
  audioBeforeS: number,
  justInTime: boolean,
): { expectedMs: number; dueMs: number; notBeforeMs?: number }[] {
  let audio = audioBeforeS;
  return chunks.map((c) => {
    const dueMs = audio * 1000;
    audio += c.audioS;
    return {
      expectedMs: c.expectedMs,
      dueMs,
      ...(justInTime ? { notBeforeMs: dueMs - 2 * c.expectedMs - JUST_IN_TIME_MARGIN_MS } : {}),
    };
  });
}
