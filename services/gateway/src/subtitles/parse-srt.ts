/**
 * SubRip (.srt). Lenient the way real files need: cue numbers missing, out of
 * order or not numbers at all; blank lines inside a cue's text; "." instead
 * of ","; a missing final newline; text before the first cue. A cue is
 * everything from its timing line up to the next timing line (less the next
 * cue's number right above it). A timing line that cannot be read skips its
 * cue with a warning.
 */
import { looksLikeTiming, parseTimingLine, spokenFromMarkup, trimEndBlanks } from "./text";
import type { FormatParseResult, ParseWarning, RawCue } from "./types";

const CUE_NUMBER = /^[ \t]*\d+[ \t]*$/;

export function parseSrt(text: string): FormatParseResult {
  const lines = text.split("\n");
  const warnings: ParseWarning[] = [];
  const cues: RawCue[] = [];
  const timingAt: number[] = [];
  for (let i = 0; i < lines.length; i++) if (looksLikeTiming(lines[i]!)) timingAt.push(i);

  const firstCueLine =
    timingAt.length === 0 ? lines.length : timingAt[0]! - (idAbove(lines, timingAt[0]!) ? 1 : 0);
  for (let i = 0; i < firstCueLine; i++) {
    if (lines[i]!.trim() !== "") {
      warnings.push({ line: i + 1, message: "text before the first cue ignored" });
      break;
    }
  }

  for (let k = 0; k < timingAt.length; k++) {
    const t = timingAt[k]!;
    const next = k + 1 < timingAt.length ? timingAt[k + 1]! : lines.length;
    // The next cue's number sits right above its timing line.
    const stop = k + 1 < timingAt.length && idAbove(lines, next) && next - 1 > t ? next - 1 : next;
    const timingLine = lines[t]!;
    const timing = parseTimingLine(timingLine);
    if (!timing) {
      warnings.push({ line: t + 1, message: `malformed timing line "${clip(timingLine)}"; cue skipped` });
      continue;
    }
    const body: string[] = [];
    for (let i = t + 1; i < stop; i++) {
      const l = lines[i]!;
      if (l.trim() !== "") body.push(trimEndBlanks(l));
    }
    const raw = body.join("\n");
    const spoken = spokenFromMarkup(body);
    if (spoken === "") {
      warnings.push({ line: t + 1, message: "cue has no text to speak; skipped" });
      continue;
    }
    const id = t > 0 && idAbove(lines, t) ? lines[t - 1]!.trim() : undefined;
    cues.push({
      ...(id !== undefined ? { id } : {}),
      start_s: timing.startMs / 1000,
      end_s: timing.endMs / 1000,
      text: spoken,
      line: t + 1,
      raw,
    });
  }
  if (timingAt.length === 0)
    warnings.push({ line: 1, message: 'no timing line ("00:00:01,000 --> 00:00:02,000") found' });
  return { cues, warnings };
}

function idAbove(lines: readonly string[], timingIndex: number): boolean {
  return timingIndex > 0 && CUE_NUMBER.test(lines[timingIndex - 1]!);
}

export function clip(s: string, n = 60): string {
  const t = s.trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}
