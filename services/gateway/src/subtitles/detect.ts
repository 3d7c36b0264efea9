/**
 * Subtitle format from content. The filename extension only breaks ties: a
 * file whose content clearly is one format is read as that format whatever
 * it is called; content that is no format at all is read as the extension
 * says (so a garbled .srt gets an error naming a line), or else as text.
 */
import type { SubtitleFormat } from "./types";

const TIMING_ARROW = /^[ \t]*(?:\d+[ \t]*:[ \t]*)?\d+[ \t]*:[ \t]*\d+(?:[.,]\d+)?[ \t]*-+>/m;
const ASS_SECTION = /^[ \t]*\[(?:Script Info|V4\+? Styles|Events)\][ \t]*$/im;
const ASS_EVENT = /^[ \t]*(?:Dialogue|Comment)[ \t]*:/im;

export function extensionFormat(filename: string | undefined): SubtitleFormat | undefined {
  if (!filename) return undefined;
  const m = /\.([A-Za-z0-9]+)$/.exec(filename.trim());
  const ext = m?.[1]?.toLowerCase();
  switch (ext) {
    case "srt":
      return "srt";
    case "vtt":
    case "webvtt":
      return "vtt";
    case "ass":
    case "ssa":
      return "ass";
    case "txt":
    case "text":
      return "text";
    default:
      return undefined;
  }
}

/** `text` must already be decoded and newline-normalised. */
export function detectFormat(text: string, filename?: string): SubtitleFormat {
  const head = text
    .slice(0, 64)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (/^WEBVTT(?:[ \t\n]|$)/.test(head)) return "vtt";
  const hint = extensionFormat(filename);
  const hasAss = ASS_SECTION.test(text) || (hint === "ass" && ASS_EVENT.test(text));
  // A broken timing line ("00:00:0x,000 --> ...") still says the file is SRT/VTT.
  const hasArrow = TIMING_ARROW.test(text) || /\d[ \t]*-->[ \t]*\d/.test(text);
  if (hasAss && !(hasArrow && !/^[ \t]*Dialogue[ \t]*:/im.test(text))) return "ass";
  if (hasArrow) return hint === "vtt" ? "vtt" : "srt";
  if (ASS_EVENT.test(text) && /^[ \t]*Dialogue[ \t]*:[^\n]*\d:\d\d:\d\d/im.test(text)) return "ass";
  // Content that is no subtitle format: a subtitle extension wins, so a broken
  // subtitle file is reported as one rather than read aloud as text.
  return hint ?? "text";
}
