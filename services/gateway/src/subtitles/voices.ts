/**
 * Speaker to voice: the request's optional map from speaker (ASS Name/Actor,
 * VTT `<v>`) to voice. Exact name first, then ignoring case and spacing;
 * cues without a speaker, or with one not in the map, get the default voice.
 */
import type { Cue } from "./types";

const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();

export function makeVoiceResolver(
  defaultVoice: string,
  speakerVoices: Readonly<Record<string, string>> = {},
): (cue: Pick<Cue, "speaker">) => string {
  const exact = new Map(Object.entries(speakerVoices));
  const loose = new Map<string, string>();
  for (const [k, v] of exact) if (!loose.has(norm(k))) loose.set(norm(k), v);
  return (cue) => {
    if (cue.speaker === undefined) return defaultVoice;
    return exact.get(cue.speaker) ?? loose.get(norm(cue.speaker)) ?? defaultVoice;
  };
}

/** Speakers in the document that the map does not name (to warn about, or to reject). */
export function unmappedSpeakers(
  cues: readonly Pick<Cue, "speaker">[],
  speakerVoices: Readonly<Record<string, string>> = {},
): string[] {
  const known = new Set(Object.keys(speakerVoices).map(norm));
  const out = new Set<string>();
  for (const c of cues) if (c.speaker !== undefined && !known.has(norm(c.speaker))) out.add(c.speaker);
  return [...out];
}
