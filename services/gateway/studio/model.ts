/**
 * The studio's document and its edits, as pure functions (no DOM, no I/O) so
 * they are easy to test and every edit goes through one place that undo/redo
 * can record. A document is immutable: an edit returns a new one.
 */
export interface Cue {
  id: string;
  start_s: number;
  end_s: number;
  text: string;
  speaker?: string;
  /** Overrides the speaker's and the track's voice. */
  voice?: string;
  /** Multiplies nothing: replaces the track's speed for this cue. */
  speed?: number;
}

export interface StudioDoc {
  format: "srt" | "vtt" | "ass" | "text";
  timed: boolean;
  voice: string;
  speed: number;
  speakers: Record<string, string>;
  cues: Cue[];
}

let seq = 0;
export const newCueId = () => `c${Date.now().toString(36)}${(seq++).toString(36)}`;

export interface ParsedCue {
  start_s: number;
  end_s: number;
  text: string;
  speaker?: string;
}

/** Seconds a text takes to say at speed 1, roughly (for laying out untimed text). */
export const estimateSeconds = (text: string) => Math.max(0.6, text.length / 14);

/** A parsed document (from /v1/subtitles/parse) as a studio document. Untimed text gets estimated slots, one after another. */
export function docFromParsed(
  p: { format: StudioDoc["format"]; timed: boolean; cues: ParsedCue[] },
  voice: string,
): StudioDoc {
  let t = 0;
  const cues = p.cues.map((c) => {
    if (p.timed)
      return { id: newCueId(), start_s: c.start_s, end_s: c.end_s, text: c.text, speaker: c.speaker };
    const start = t;
    t += estimateSeconds(c.text) + 0.3;
    return {
      id: newCueId(),
      start_s: round3(start),
      end_s: round3(start + estimateSeconds(c.text)),
      text: c.text,
      speaker: c.speaker,
    };
  });
  const speakers: Record<string, string> = {};
  for (const c of cues) if (c.speaker && !speakers[c.speaker]) speakers[c.speaker] = voice;
  return { format: p.format, timed: true, voice, speed: 1, speakers, cues };
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function updateCue(doc: StudioDoc, id: string, patch: Partial<Omit<Cue, "id">>): StudioDoc {
  return { ...doc, cues: doc.cues.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}

/** Split a cue at a character position; the time is split in proportion to the text. */
export function splitCue(doc: StudioDoc, id: string, at?: number): StudioDoc {
  const i = doc.cues.findIndex((c) => c.id === id);
  const c = doc.cues[i];
  if (!c || c.text.length < 2) return doc;
  let pos = at ?? c.text.length / 2;
  if (at === undefined) {
    // The word boundary nearest the middle.
    const mid = Math.floor(pos);
    const after = c.text.indexOf(" ", mid);
    const before = c.text.lastIndexOf(" ", mid);
    const cands = [after, before].filter((x) => x > 0);
    pos = cands.length ? cands.reduce((a, b) => (Math.abs(a - mid) <= Math.abs(b - mid) ? a : b)) : mid;
  }
  pos = Math.max(1, Math.min(c.text.length - 1, Math.floor(pos)));
  const a = c.text.slice(0, pos).trim();
  const b = c.text.slice(pos).trim();
  if (!a || !b) return doc;
  const mid = round3(c.start_s + (c.end_s - c.start_s) * (pos / c.text.length));
  const first = { ...c, text: a, end_s: mid };
  const second = { ...c, id: newCueId(), text: b, start_s: mid };
  const cues = [...doc.cues];
  cues.splice(i, 1, first, second);
  return { ...doc, cues };
}

/** Merge a cue with the next one: one slot from the first start to the later end, texts joined. */
export function mergeWithNext(doc: StudioDoc, id: string): StudioDoc {
  const i = doc.cues.findIndex((c) => c.id === id);
  const c = doc.cues[i];
  const n = doc.cues[i + 1];
  if (!c || !n) return doc;
  const merged = { ...c, text: `${c.text} ${n.text}`.trim(), end_s: Math.max(c.end_s, n.end_s) };
  const cues = [...doc.cues];
  cues.splice(i, 2, merged);
  return { ...doc, cues };
}

export function deleteCue(doc: StudioDoc, id: string): StudioDoc {
  if (doc.cues.length <= 1) return doc;
  return { ...doc, cues: doc.cues.filter((c) => c.id !== id) };
}

/** The voice a cue is spoken with: its own, its speaker's, or the track's. */
export const voiceOf = (doc: StudioDoc, c: Cue) =>
  c.voice || (c.speaker ? doc.speakers[c.speaker] : undefined) || doc.voice;
export const speedOf = (doc: StudioDoc, c: Cue) => c.speed ?? doc.speed;

/** Ids of cues that start before an earlier cue has ended. */
export function overlaps(doc: StudioDoc): Set<string> {
  const out = new Set<string>();
  let lastEnd = -Infinity;
  for (const c of doc.cues) {
    if (c.start_s < lastEnd - 1e-6) out.add(c.id);
    lastEnd = Math.max(lastEnd, c.end_s);
  }
  return out;
}

/** "00:01:02,345" (SRT) or "00:01:02.345" (VTT). */
export function formatTime(s: number, sep = ","): string {
  const ms = Math.round(s * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(sec)}${sep}${pad(ms % 1000, 3)}`;
}

/** "1:02.3", "62.3", "00:01:02,300" -> seconds; NaN when it is not a time. */
export function parseTime(s: string): number {
  const t = s.trim().replace(",", ".");
  if (!/^[\d:.]+$/.test(t)) return NaN;
  const parts = t.split(":").map(Number);
  if (parts.some((p) => !Number.isFinite(p)) || parts.length > 3) return NaN;
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/**
 * The document as WebVTT for /v1/audio/subtitles: each cue's voice travels as
 * its speaker (`<v name>`), and the speakers map names the voice for it, so
 * per-cue voices survive export.
 */
export function toRenderVtt(doc: StudioDoc): { document: string; speakers: Record<string, string> } {
  const speakers: Record<string, string> = {};
  const lines = ["WEBVTT", ""];
  doc.cues.forEach((c, i) => {
    const voice = voiceOf(doc, c);
    const tag = `v${i}`;
    speakers[tag] = voice;
    lines.push(
      String(i + 1),
      `${formatTime(c.start_s, ".")} --> ${formatTime(Math.max(c.end_s, c.start_s + 0.001), ".")}`,
      `<v ${tag}>${c.text.replace(/\n/g, " ").replace(/</g, "&lt;")}`,
      "",
    );
  });
  return { document: lines.join("\n"), speakers };
}
