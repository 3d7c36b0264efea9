/**
 * Subtitles re-timed to the speech actually produced: each cue starts where
 * its speech starts and ends where its speech ends, so captions and audio
 * agree. Cue text is the original payload where the output format can carry
 * it (SRT/VTT markup), and the spoken text's lines otherwise (ASS, text).
 */
import { assSpokenText } from "./parse-ass";
import { formatTimestamp, trimEndBlanks } from "./text";
import type { Cue, SubtitleFormat } from "./types";
import type { CueReport } from "./timeline";

export type RetimeFormat = "srt" | "vtt";

export interface RetimeInput {
  cues: readonly Cue[];
  /** The format the cues were parsed from. */
  sourceFormat: SubtitleFormat;
  /** renderTimeline's per-cue report (cues not in it are left out). */
  report: readonly CueReport[];
  sampleRate: number;
}

/** The lines to show for a cue in SRT/VTT. */
function displayLines(cue: Cue, source: SubtitleFormat, target: RetimeFormat): string[] {
  let lines: string[];
  if (source === "srt" || source === "vtt") {
    lines = cue.raw.split("\n");
    if (source === "vtt" && target === "srt")
      lines = lines.map((l) => l.replace(/<(?:v|c|lang)(?:[.\s][^<>]*)?>|<\/(?:v|c|lang)>|<\d[\d:.]*>/g, ""));
  } else if (source === "ass") {
    // Keep the author's line breaks; drop override blocks and drawings.
    lines = cue.raw.split(/\\N/).map((part) => assSpokenText(part));
  } else {
    lines = cue.raw.split("\n");
  }
  lines = lines.map((l) => trimEndBlanks(l)).filter((l) => l.trim() !== "");
  if (lines.length === 0) lines = [cue.text];
  // "-->" in a payload would read back as a timing line.
  lines = lines.map((l) => l.replace(/-->/g, "->"));
  if (target === "vtt") {
    if (source !== "vtt" && cue.speaker) lines[0] = `<v ${cue.speaker.replace(/[<>]/g, "")}>${lines[0]}`;
  }
  return lines;
}

export function retimeSubtitles(input: RetimeInput, target: RetimeFormat): string {
  const byIndex = new Map(input.cues.map((c) => [c.index, c] as const));
  const sep = target === "srt" ? "," : ".";
  const blocks: string[] = [];
  let n = 0;
  for (const r of input.report) {
    const cue = byIndex.get(r.index);
    if (!cue) continue;
    // Exact sample positions to milliseconds: start where the speech starts, end where it ends.
    const startMs = (r.start_sample * 1000) / input.sampleRate;
    const endMs = ((r.start_sample + r.speech_samples) * 1000) / input.sampleRate;
    const timing = `${formatTimestamp(startMs, sep)} --> ${formatTimestamp(Math.max(Math.round(startMs), Math.round(endMs)), sep)}`;
    const lines = displayLines(cue, input.sourceFormat, target);
    n++;
    if (target === "srt") blocks.push(`${n}\n${timing}\n${lines.join("\n")}\n`);
    else
      blocks.push(
        `${cue.id !== undefined && !cue.id.includes("-->") && !/^(?:NOTE|STYLE|REGION|WEBVTT)(?:[ \t]|$)/.test(cue.id) ? `${cue.id}\n` : ""}${timing}\n${lines.join("\n")}\n`,
      );
  }
  return target === "srt" ? blocks.join("\n") : `WEBVTT\n\n${blocks.join("\n")}`;
}
