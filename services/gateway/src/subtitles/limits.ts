/**
 * Size limits of a render (subtitles and jobs), checked before any audio is
 * made: a 30 KB document, a 72-byte SRT with a cue at 03:00:00, or a cue time
 * of 99,999 hours must not turn into gigabytes of memory or disk (issue 20,
 * finding 2). Each refusal is a 413 whose code and message name the limit and
 * the setting that raises it. Pure: the caller passes the configured values.
 */
import { AppError } from "@kokoro-edge/runtime";
import type { ParsedDocument } from "./types";

export interface RenderLimits {
  /** MAX_DOCUMENT_CHARS: longest document (or job `input`), in characters. */
  maxDocumentChars: number;
  /** SUBTITLES_MAX_CUE_CHARS: longest timed cue's text, in characters (plain text is split instead). */
  maxCueChars: number;
  /** MAX_TRACK_SECONDS: longest audio track, in seconds. */
  maxTrackSeconds: number;
}

export function checkDocumentLength(document: string, limits: RenderLimits): void {
  if (document.length > limits.maxDocumentChars) {
    throw new AppError(
      413,
      "document_too_long",
      `the document has ${document.length} characters; this gateway takes at most ${limits.maxDocumentChars} (MAX_DOCUMENT_CHARS)`,
      "document",
    );
  }
}

/** Timed documents: every cue's text and end time within the limits. */
export function checkCueLimits(doc: ParsedDocument, limits: RenderLimits): void {
  for (const cue of doc.cues) {
    if (doc.timed && cue.text.length > limits.maxCueChars) {
      throw new AppError(
        413,
        "cue_too_long",
        `cue ${cue.id ?? cue.index + 1} (line ${cue.line}) has ${cue.text.length} characters to speak; a cue may have at most ${limits.maxCueChars} (SUBTITLES_MAX_CUE_CHARS)`,
        "document",
      );
    }
    if (doc.timed && cue.end_s > limits.maxTrackSeconds) {
      throw new AppError(
        413,
        "track_too_long",
        `cue ${cue.id ?? cue.index + 1} (line ${cue.line}) ends at ${cue.end_s} s; the audio track may be at most ${limits.maxTrackSeconds} s long (MAX_TRACK_SECONDS)`,
        "document",
      );
    }
  }
}

export function checkRenderLimits(document: string, doc: ParsedDocument, limits: RenderLimits): void {
  checkDocumentLength(document, limits);
  checkCueLimits(doc, limits);
}

/** The limit a render that ran past MAX_TRACK_SECONDS (untimed text, known only as it is spoken) reports. */
export function trackTooLongError(limits: Pick<RenderLimits, "maxTrackSeconds">): AppError {
  return new AppError(
    413,
    "track_too_long",
    `the audio would be longer than ${limits.maxTrackSeconds} s, the longest track this gateway renders (MAX_TRACK_SECONDS)`,
    "document",
  );
}
