/** Helpers shared by the format parsers: timestamps, entities, tag stripping. */

/**
 * One timestamp: `[H:]MM:SS[.,]fff`, `H:MM:SS.cc` (ASS) or `[H:]MM:SS`. The
 * fraction is a decimal fraction of a second (".5" is 500 ms, ".05" is 50 ms).
 * Returns whole milliseconds, or undefined when malformed (minutes or seconds
 * of 60 and over included). Hours are limited to 5 digits.
 */
const TS = /^(?:(\d{1,5})[ \t]*:[ \t]*)?(\d{1,2})[ \t]*:[ \t]*(\d{1,2})(?:[ \t]*[.,][ \t]*(\d{1,9}))?$/;

export function parseTimestampMs(s: string): number | undefined {
  const m = TS.exec(s.trim());
  if (!m) return undefined;
  const h = m[1] === undefined ? 0 : Number(m[1]);
  const min = Number(m[2]);
  const sec = Number(m[3]);
  if (min >= 60 || sec >= 60) return undefined;
  const frac = m[4] ?? "";
  // Round the fraction to whole milliseconds.
  const ms = frac === "" ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return ((h * 60 + min) * 60 + sec) * 1000 + ms;
}

export interface TimingLine {
  startMs: number;
  endMs: number;
  /** Whatever follows the end time: VTT cue settings, SRT coordinates. */
  rest: string;
}

/**
 * `START --> END [settings]`. Split at the first arrow by hand rather than with
 * one regex: a single pattern with optional blanks on both sides of the arrow
 * backtracks quadratically on a long line of blanks.
 */
export function parseTimingLine(line: string): TimingLine | undefined {
  const arrow = /-{1,3}>/.exec(line);
  if (!arrow) return undefined;
  const left = line.slice(0, arrow.index);
  const right = line.slice(arrow.index + arrow[0].length);
  if (!/^[ \t]*\d[\d:., \t]*$/.test(left)) return undefined;
  const end = /^[ \t]*(\d[\d:.,]*)/.exec(right);
  if (!end) return undefined;
  const startMs = parseTimestampMs(left);
  const endMs = parseTimestampMs(end[1]!);
  if (startMs === undefined || endMs === undefined) return undefined;
  const rest = right.slice(end[0].length);
  // Settings must be separated from the end time ("00:01.000 line:0"), not glued to it.
  if (rest !== "" && !/^[ \t]/.test(rest)) return undefined;
  return { startMs, endMs, rest: rest.trim() };
}

/** A line that was meant as a timing line (so a failure to parse it is a malformed cue, not text). */
export function looksLikeTiming(line: string): boolean {
  return (
    line.includes("-->") ||
    /^[ \t]*\d{1,2}:\d{2}[\d:.,]*[ \t]*-{1,3}>?[ \t]*\d{1,2}:\d{2}[\d:.,]*[ \t]*$/.test(line)
  );
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  lrm: "",
  rlm: "",
  ndash: "–",
  mdash: "—",
  hellip: "…",
};

export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (all, body: string) => {
    if (body[0] === "#") {
      const cp =
        body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return all;
      return String.fromCodePoint(cp);
    }
    const v = NAMED[body.toLowerCase()];
    return v === undefined ? all : v;
  });
}

/**
 * Drop trailing blanks and tabs. (Not `/[ \t]+$/`: that regex is quadratic on
 * a long run of blanks followed by other text.)
 */
export function trimEndBlanks(s: string): string {
  let n = s.length;
  while (n > 0 && (s.charCodeAt(n - 1) === 32 || s.charCodeAt(n - 1) === 9)) n--;
  return n === s.length ? s : s.slice(0, n);
}

/** Collapse all whitespace (including no-break spaces) to single spaces and trim. */
export function collapseSpaces(s: string): string {
  return s.replace(/[\s\u00a0\u200b]+/g, " ").trim();
}

/** `<i>`, `</font>`, `<c.yellow>`, `<v Bob>`, `<00:00:01.000>`: any markup tag. A lone "<" or "a < b" stays. */
export const MARKUP_TAG = /<\/?(?:[A-Za-z][^<>\n]*|\d[\d:.]*)>/g;

/** `{\an8}` and other ASS override blocks that SRT files often carry. */
export const OVERRIDE_BLOCK = /\{\\[^{}\n]*\}/g;

/**
 * Remove ruby annotations (`<rt>...</rt>`, `<rp>...</rp>`): readings shown
 * above the base text, not said again. Linear time: a lazy regex to the
 * closing tag would rescan the line for every unclosed opening tag.
 */
export function dropRubyText(s: string): string {
  if (!/<r[tp]\b/i.test(s)) return s;
  const lower = s.toLowerCase();
  const lastClose = { rt: lower.lastIndexOf("</rt>"), rp: lower.lastIndexOf("</rp>") };
  const open = /<(r[tp])\b[^<>]*>/gi;
  let out = "";
  let from = 0;
  for (let m = open.exec(s); m; m = open.exec(s)) {
    const name = m[1]!.toLowerCase() as "rt" | "rp";
    if (m.index < from || m.index > lastClose[name]) continue;
    const close = lower.indexOf(`</${name}>`, m.index + m[0].length);
    if (close < 0) continue;
    out += s.slice(from, m.index);
    from = close + name.length + 3;
    open.lastIndex = from;
  }
  return out + s.slice(from);
}

/** SRT/VTT payload lines to the words to speak. */
export function spokenFromMarkup(lines: readonly string[]): string {
  const parts: string[] = [];
  for (const raw of lines) {
    let l = dropRubyText(raw).replace(/<br\b[^<>]*>/gi, " ");
    // ASS line breaks and hard spaces left behind by ASS-to-SRT converters.
    l = l
      .replace(MARKUP_TAG, "")
      .replace(OVERRIDE_BLOCK, "")
      .replace(/\\[Nh]/g, " ");
    l = decodeEntities(l);
    // A dialogue dash at the start of a line marks a change of speaker, it is not spoken.
    l = l.replace(/^[ \t]*[-–—][ \t]+/, "");
    parts.push(l);
  }
  return collapseSpaces(parts.join(" "));
}

/** Milliseconds to `HH:MM:SS{sep}mmm`. */
export function formatTimestamp(ms: number, sep: "," | "."): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  const f = t % 1000;
  const p = (n: number, w: number) => String(n).padStart(w, "0");
  return `${p(h, 2)}:${p(m, 2)}:${p(s, 2)}${sep}${p(f, 3)}`;
}
