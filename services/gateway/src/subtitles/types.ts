/** Shared types of the subtitle core: parsed documents, cues and parse errors. */

export type SubtitleFormat = (typeof SUBTITLE_FORMATS)[number];
export const SUBTITLE_FORMATS = ["srt", "vtt", "ass", "text"] as const;

export interface Cue {
  /** 0-based position in the output (after sorting by start). */
  index: number;
  /** SRT cue number, VTT cue identifier; absent for ASS and text. */
  id?: string;
  start_s: number;
  end_s: number;
  /** The words to speak: tags, override blocks and drawings removed, line breaks as spaces. */
  text: string;
  /** ASS Name/Actor, or the first VTT `<v Speaker>` span. */
  speaker?: string;
  /** 1-based source line where the cue starts (its timing line, or the Dialogue line). */
  line: number;
  /** The cue's original payload (tags kept, lines joined with "\n"), for re-timed output. */
  raw: string;
  /** Untimed documents: the pause after this cue when it is not the default (pieces of one long paragraph). */
  gap_after_s?: number;
}

export interface ParseWarning {
  line: number;
  message: string;
}

export interface ParsedDocument {
  format: SubtitleFormat;
  /**
   * False for plain text: cues carry no times (start_s = end_s = 0) and are
   * laid one after another by the timeline instead of at their start times.
   */
  timed: boolean;
  cues: Cue[];
  warnings: ParseWarning[];
  /** The byte encoding the document was read as ("utf-8", "utf-16le", ...; "string" for string input). */
  encoding: string;
}

/** The document has no usable cue at all. `line` points at the first problem (1 for an empty document). */
export class SubtitleParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "SubtitleParseError";
  }
}

/** A cue as a format parser produces it, before sorting and indexing. */
export type RawCue = Omit<Cue, "index">;

export interface FormatParseResult {
  cues: RawCue[];
  warnings: ParseWarning[];
}
