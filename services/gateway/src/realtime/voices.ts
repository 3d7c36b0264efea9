/**
 * Voice names on the realtime sockets: a Kokoro voice or mix (af_heart,
 * af_heart+am_adam), OpenAI's names, or a Deepgram Aura model name
 * ("aura-asteria-en", "aura-2-thalia-en") mapped to a Kokoro voice of the
 * same gender and accent, so an agent configured for Deepgram works as is.
 */
import { resolveVoiceName } from "../speech/request";

export const DEFAULT_REALTIME_VOICE = "af_heart";

const AURA: Record<string, string> = {
  asteria: "af_heart",
  luna: "af_nova",
  stella: "af_sky",
  athena: "bf_emma",
  hera: "af_sarah",
  thalia: "af_bella",
  andromeda: "af_nicole",
  helena: "af_kore",
  orion: "am_michael",
  arcas: "am_adam",
  perseus: "am_echo",
  angus: "bm_george",
  orpheus: "am_onyx",
  helios: "bm_fable",
  zeus: "am_puck",
  apollo: "am_eric",
};

/** The Kokoro voice for a `model`/`voice_id` value; `aura` says whether a Deepgram name was mapped. */
export function realtimeVoice(name: string | undefined): { voice: string; aura?: string } {
  const n = (name ?? "").trim();
  if (!n) return { voice: DEFAULT_REALTIME_VOICE };
  const m = /^aura(?:-2)?-([a-z]+)-[a-z]{2}$/i.exec(n);
  if (m) return { voice: AURA[m[1]!.toLowerCase()] ?? DEFAULT_REALTIME_VOICE, aura: n };
  return { voice: resolveVoiceName(n) };
}
