/**
 * Plain text: one cue per paragraph (paragraphs are separated by blank
 * lines). The cues carry no times; the timeline lays them one after another.
 * A paragraph longer than TEXT_PIECE_CHARS becomes several cues with a short
 * pause between them, so no cue is held whole as a long piece of audio.
 */
import { collapseSpaces, trimEndBlanks } from "./text";
import { PIECE_GAP_S, splitLongText } from "./split-text";
import type { FormatParseResult, RawCue } from "./types";

export function parseText(text: string): FormatParseResult {
  const lines = text.split("\n");
  const cues: RawCue[] = [];
  let para: string[] = [];
  let paraLine = 0;
  const flush = () => {
    const spoken = collapseSpaces(para.join(" "));
    const pieces = spoken === "" ? [] : splitLongText(spoken);
    pieces.forEach((text, k) => {
      const last = k === pieces.length - 1;
      cues.push({
        start_s: 0,
        end_s: 0,
        text,
        line: paraLine,
        raw: pieces.length === 1 ? para.join("\n") : text,
        ...(last ? {} : { gap_after_s: PIECE_GAP_S }),
      });
    });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === "") {
      flush();
      continue;
    }
    if (para.length === 0) paraLine = i + 1;
    para.push(trimEndBlanks(l));
  }
  flush();
  return { cues, warnings: [] };
}
