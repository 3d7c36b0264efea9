import type { Cue } from "../subtitles/types";

/** The voice for a cue: its speaker's (matched case-insensitively), else the default. */
export function voiceForCue(cue: Cue, speakers: Record<string, string>, fallback: string): string {
  if (!cue.speaker) return fallback;
  const direct = speakers[cue.speaker];
  if (direct) return direct;
  const key = Object.keys(speakers).find((k) => k.toLowerCase() === cue.speaker!.trim().toLowerCase());
  return key ? speakers[key]! : fallback;
}
