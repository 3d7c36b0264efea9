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
