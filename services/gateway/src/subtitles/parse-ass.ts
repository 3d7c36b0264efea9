/**
 * ASS / SSA. Sections are tracked; in [Events] the `Format:` line names the
 * columns (their order is read, not assumed; Text is the last column and may
 * hold commas). `Dialogue:` lines become cues; `Comment:` lines and other
 * event kinds are not spoken. In the text, override blocks `{...}` (styling,
 * `\pos`, karaoke `\k`) are removed, text inside drawing mode (`{\p1}` up to
 * `{\p0}`) is vector drawing commands and is not spoken, and `\N`, `\n`, `\h`
 * are spaces. Name/Actor is the speaker. Events repeated identically (same
 * times, speaker and text, e.g. layered typesetting) are spoken once.
 */
import { clip } from "./parse-srt";
import { collapseSpaces, parseTimestampMs } from "./text";
import type { FormatParseResult, ParseWarning, RawCue } from "./types";

const DEFAULT_ASS_FORMAT = [
  "layer",
  "start",
  "end",
  "style",
  "name",
  "marginl",
  "marginr",
  "marginv",
  "effect",
  "text",
];
const DEFAULT_SSA_FORMAT = [
  "marked",
  "start",
  "end",
  "style",
  "name",
  "marginl",
  "marginr",
  "marginv",
  "effect",
  "text",
];

/** The words of an ASS Text field. */
export function assSpokenText(text: string): string {
  let out = "";
  let drawing = false;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    const close = open < 0 ? -1 : text.indexOf("}", open + 1);
    if (open < 0 || close < 0) {
      // No (closed) override block left: the rest is text (libass shows an unclosed "{").
      if (!drawing) out += text.slice(i);
      break;
    }
    if (!drawing) out += text.slice(i, open);
    const block = text.slice(open + 1, close);
    // \p<n>: n > 0 starts drawing mode, \p0 ends it. The last one in a block wins.
    for (const m of block.matchAll(/\\p[ \t]*(\d+)/g)) drawing = Number(m[1]) > 0;
    i = close + 1;
  }
  return collapseSpaces(out.replace(/\\[Nnh]/g, " "));
}

export function parseAss(text: string): FormatParseResult {
  const lines = text.split("\n");
  const warnings: ParseWarning[] = [];
  const cues: RawCue[] = [];
  let section = "";
  let isSsa = false;
  let format: string[] | undefined;
  let sawEventsSection = false;
  let warnedNoFormat = false;
  const seen = new Set<string>();
  let duplicates = 0;
  let firstDuplicateLine = 0;

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("!:")) continue;
    const sec = /^\[([^\]]*)\]$/.exec(line);
    if (sec) {
      section = sec[1]!.trim().toLowerCase();
      if (section === "events") {
        sawEventsSection = true;
        format = undefined;
      }
      if (section === "v4 styles") isSsa = true;
      continue;
    }
    if (section === "script info" && /^ScriptType[ \t]*:[ \t]*v4\.00[ \t]*$/i.test(line)) isSsa = true;
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1);
    // Events outside an [Events] section are read too (some files lose the header).
    if (section !== "events" && (sawEventsSection || key !== "dialogue")) continue;
    if (key === "format") {
      format = value.split(",").map((c) => c.trim().toLowerCase());
      if (!format.includes("text") || !format.includes("start") || !format.includes("end")) {
        warnings.push({
          line: n + 1,
          message: "Format line lacks Start, End or Text; default column order used",
        });
        format = undefined;
      }
      continue;
    }
    if (key !== "dialogue") continue; // Comment:, Picture:, Sound:, Movie:, Command: are not spoken.
    let cols = format;
    if (!cols) {
      cols = isSsa ? DEFAULT_SSA_FORMAT : DEFAULT_ASS_FORMAT;
      if (!warnedNoFormat) {
        warnings.push({ line: n + 1, message: "no Format line before events; default column order used" });
        warnedNoFormat = true;
      }
    }
    const fields = splitFields(value, cols.length);
    if (fields.length < cols.length) {
      warnings.push({
        line: n + 1,
        message: `Dialogue line has ${fields.length} of ${cols.length} fields; skipped`,
      });
      continue;
    }
    const get = (name: string) => {
      const k = cols.indexOf(name);
      return k < 0 ? undefined : fields[k];
    };
    const startMs = parseTimestampMs(get("start") ?? "");
    const endMs = parseTimestampMs(get("end") ?? "");
    if (startMs === undefined || endMs === undefined) {
      warnings.push({
        line: n + 1,
        message: `malformed time "${clip(startMs === undefined ? (get("start") ?? "") : (get("end") ?? ""))}"; event skipped`,
      });
      continue;
    }
    const rawText = get("text") ?? "";
    const spoken = assSpokenText(rawText);
    if (spoken === "") continue; // Drawing-only or empty events (signs, effects) have nothing to say.
    const speaker = collapseSpaces(get("name") ?? get("actor") ?? "");
    const dupKey = `${startMs}|${endMs}|${speaker}|${spoken}`;
    if (seen.has(dupKey)) {
      if (duplicates++ === 0) firstDuplicateLine = n + 1;
      continue;
    }
    seen.add(dupKey);
    cues.push({
      start_s: startMs / 1000,
      end_s: endMs / 1000,
      text: spoken,
      ...(speaker !== "" ? { speaker } : {}),
      line: n + 1,
      raw: rawText,
    });
  }
  if (duplicates > 0) {
    warnings.push({
      line: firstDuplicateLine,
      message: `${duplicates} event(s) repeating an earlier one (same times, name and text) spoken once`,
    });
  }
  if (!sawEventsSection && cues.length === 0)
    warnings.push({ line: 1, message: "no [Events] section found" });
  return { cues, warnings };
}

/** Split on the first `count - 1` commas: the last field (Text) keeps its commas. */
function splitFields(value: string, count: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (let k = 0; k < count - 1; k++) {
    const c = value.indexOf(",", i);
    if (c < 0) break;
    out.push(value.slice(i, c).trim());
    i = c + 1;
  }
  out.push(out.length === count - 1 ? value.slice(i).replace(/^[ \t]/, "") : value.slice(i).trim());
  return out;
}
