/**
 * Entry point: bytes or text in, cues out. Decodes, detects the format,
 * parses, then sorts cues by start time and reports order problems and
 * overlaps as warnings. Throws only SubtitleParseError, and only when no
 * usable cue is left.
 */
import { decodeSubtitleBytes } from "./decode";
import { detectFormat } from "./detect";
import { parseAss } from "./parse-ass";
import { parseSrt } from "./parse-srt";
import { parseText } from "./parse-text";
import { parseVtt } from "./parse-vtt";
import {
  type Cue,
  type FormatParseResult,
  type ParsedDocument,
  type ParseWarning,
  type SubtitleFormat,
  SubtitleParseError,
} from "./types";

export interface ParseHint {
  /** Used only to break ties when the content does not say which format it is. */
  filename?: string;
  /** Forces the parser, e.g. an explicit request parameter. */
  format?: SubtitleFormat;
}

/** Warnings kept in a document (a broken file can have one per line). */
export const MAX_WARNINGS = 200;

const PARSERS: Record<SubtitleFormat, (text: string) => FormatParseResult> = {
  srt: parseSrt,
  vtt: parseVtt,
  ass: parseAss,
  text: parseText,
};

export function parseSubtitles(input: Uint8Array | string, hint: ParseHint = {}): ParsedDocument {
  const decoded = decodeSubtitleBytes(input);
  const text = decoded.text;
  const format = hint.format ?? detectFormat(text, hint.filename);
  const parsed = PARSERS[format](text);
  const warnings: ParseWarning[] = [];
  if (decoded.warning) warnings.push({ line: 1, message: decoded.warning });
  warnings.push(...parsed.warnings);

  const kept: Omit<Cue, "index">[] = [];
  for (const c of parsed.cues) {
    if (!Number.isFinite(c.start_s) || !Number.isFinite(c.end_s) || c.start_s < 0) {
      warnings.push({ line: c.line, message: "cue time out of range; cue skipped" });
      continue;
    }
    if (c.end_s < c.start_s) {
      warnings.push({ line: c.line, message: "cue ends before it starts; end set to its start" });
      kept.push({ ...c, end_s: c.start_s });
      continue;
    }
    kept.push(c);
  }

  if (kept.length === 0) {
    const first = [...warnings].sort((a, b) => a.line - b.line)[0];
    const what =
      text.trim() === ""
        ? "the document is empty"
        : `no usable ${format === "text" ? "text" : `${format.toUpperCase()} cue`} found`;
    throw new SubtitleParseError(first?.line ?? 1, first ? `${what}: ${first.message}` : what);
  }

  const timed = format !== "text";
  if (timed) {
    for (let k = 1; k < kept.length; k++) {
      if (kept[k]!.start_s < kept[k - 1]!.start_s) {
        warnings.push({ line: kept[k]!.line, message: "cues are not in time order; sorted by start time" });
        break;
      }
    }
    // Stable: equal starts keep their order in the file.
    kept.sort((a, b) => a.start_s - b.start_s || a.line - b.line);
    let last: Omit<Cue, "index"> | undefined;
    for (const c of kept) {
      if (last && c.start_s < last.end_s) {
        warnings.push({
          line: c.line,
          message: `cue overlaps the cue at line ${last.line} (which ends at ${last.end_s.toFixed(3)} s)`,
        });
      }
      if (!last || c.end_s > last.end_s) last = c;
    }
  }
  warnings.sort((a, b) => a.line - b.line);
  if (warnings.length > MAX_WARNINGS) {
    const more = warnings.length - MAX_WARNINGS;
    warnings.length = MAX_WARNINGS;
    warnings.push({ line: warnings[MAX_WARNINGS - 1]!.line, message: `${more} more warning(s) not listed` });
  }
  return {
    format,
    timed,
    cues: kept.map((c, index) => ({ index, ...c })),
    warnings,
    encoding: decoded.encoding,
  };
}
