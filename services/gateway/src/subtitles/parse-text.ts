/**
 * Plain text: one cue per paragraph (paragraphs are separated by blank
 * lines). The cues carry no times; the timeline lays them one after another.
 */
import { collapseSpaces, trimEndBlanks } from "./text";
import type { FormatParseResult, RawCue } from "./types";

export function parseText(text: string): FormatParseResult {
  const lines = text.split("\n");
  const cues: RawCue[] = [];
  let para: string[] = [];
  let paraLine = 0;
  const flush = () => {
    const spoken = collapseSpaces(para.join(" "));
    if (spoken !== "") cues.push({ start_s: 0, end_s: 0, text: spoken, line: paraLine, raw: para.join("\n") });
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
