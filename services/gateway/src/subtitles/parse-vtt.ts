/**
 * WebVTT. The header block (WEBVTT line and metadata after it), NOTE, STYLE
 * and REGION blocks are skipped; cue identifiers and cue settings are read
 * and dropped from the spoken text; `<v Speaker>` gives the cue's speaker;
 * `<c>`, `<i>`, `<b>`, `<u>`, `<lang>`, `<ruby>` and inline timestamps are
 * removed (ruby annotations `<rt>` are not spoken). A timing line inside a
 * cue's payload (a blank line forgotten) starts a new cue.
 */
import { clip } from "./parse-srt";
import { collapseSpaces, looksLikeTiming, parseTimingLine, spokenFromMarkup, trimEndBlanks } from "./text";
import type { FormatParseResult, ParseWarning, RawCue } from "./types";

// One blank after "v" (more are part of the name and trimmed): "[ \t]+([^<>]*)" would backtrack quadratically.
const VOICE = /<v(?:\.[^\s<>]*)?[ \t]([^<>]*)>/g;

export function parseVtt(text: string): FormatParseResult {
  const lines = text.split("\n");
  const warnings: ParseWarning[] = [];
  const cues: RawCue[] = [];
  let i = 0;
  if (/^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? "")) {
    // Header: the WEBVTT line and any metadata lines up to the first blank line.
    // (A timing line there means the blank line was forgotten: stop the header.)
    i = 1;
    while (i < lines.length && lines[i]!.trim() !== "" && !lines[i]!.includes("-->")) i++;
  } else {
    warnings.push({ line: 1, message: "missing WEBVTT header; read as WebVTT anyway" });
  }

  while (i < lines.length) {
    // Skip blank lines between blocks.
    if (lines[i]!.trim() === "") {
      i++;
      continue;
    }
    const blockStart = i;
    const first = lines[i]!;
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes("-->")) {
      while (i < lines.length && lines[i]!.trim() !== "") i++;
      continue;
    }
    // Optional identifier, then the timing line.
    let id: string | undefined;
    let t = i;
    if (!looksLikeTiming(first)) {
      if (i + 1 < lines.length && looksLikeTiming(lines[i + 1]!)) {
        id = first.trim();
        t = i + 1;
      } else {
        warnings.push({
          line: blockStart + 1,
          message: `block without a timing line ignored: "${clip(first)}"`,
        });
        while (i < lines.length && lines[i]!.trim() !== "") i++;
        continue;
      }
    }
    const timing = parseTimingLine(lines[t]!);
    // Payload: up to a blank line, or up to the next timing line if the blank line is missing.
    let j = t + 1;
    const payload: string[] = [];
    while (j < lines.length && lines[j]!.trim() !== "" && !looksLikeTiming(lines[j]!))
      payload.push(lines[j++]!);
    if (j < lines.length && lines[j]!.trim() !== "") {
      // Next line is a timing line with no blank line before it. A number just above
      // it (after some text) is that cue's identifier, as in SRT.
      if (payload.length >= 2 && /^[ \t]*\d+[ \t]*$/.test(payload[payload.length - 1]!)) {
        payload.pop();
        j--;
      }
      warnings.push({
        line: j + 1,
        message: "timing line without a blank line before it; read as a new cue",
      });
    }
    i = j;
    if (!timing) {
      warnings.push({ line: t + 1, message: `malformed timing line "${clip(lines[t]!)}"; cue skipped` });
      continue;
    }
    const speakers: string[] = [];
    for (const l of payload) {
      for (const m of l.matchAll(VOICE)) {
        const name = collapseSpaces(m[1]!);
        if (name !== "" && !speakers.includes(name)) speakers.push(name);
      }
    }
    if (speakers.length > 1) {
      warnings.push({
        line: t + 1,
        message: `cue has several voices (${speakers.join(", ")}); spoken with the first`,
      });
    }
    const spoken = spokenFromMarkup(payload);
    if (spoken === "") {
      warnings.push({ line: t + 1, message: "cue has no text to speak; skipped" });
      continue;
    }
    cues.push({
      ...(id !== undefined && id !== "" ? { id } : {}),
      start_s: timing.startMs / 1000,
      end_s: timing.endMs / 1000,
      text: spoken,
      ...(speakers[0] !== undefined ? { speaker: speakers[0] } : {}),
      line: t + 1,
      raw: payload.map((l) => trimEndBlanks(l)).join("\n"),
    });
  }
  return { cues, warnings };
}
