import { z } from "zod";
import { SPEED_MAX, SPEED_MIN } from "@kokoro-edge/proto";
import { AUDIO_FORMATS } from "../encoders/types";

/** Model names accepted: ours, and OpenAI's so existing clients work unchanged. */
export const MODEL_ALIASES = ["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"] as const;

/** OpenAI's voice names, mapped to Kokoro voices of a similar character. */
export const OPENAI_VOICES: Record<string, string> = {
  alloy: "af_alloy",
  ash: "am_adam",
  ballad: "bm_george",
  coral: "af_heart",
  echo: "am_echo",
  fable: "bm_fable",
  nova: "af_nova",
  onyx: "am_onyx",
  sage: "af_sarah",
  shimmer: "af_sky",
  verse: "am_michael",
};

export function resolveVoiceName(voice: string): string {
  return OPENAI_VOICES[voice.trim().toLowerCase()] ?? voice.trim();
}

export const SpeechRequest = z.object({
  model: z.string().refine((m) => (MODEL_ALIASES as readonly string[]).includes(m), {
    message: `model must be one of ${MODEL_ALIASES.join(", ")}`,
  }),
  input: z.string(),
  voice: z.string().min(1, "voice is required"),
  response_format: z.enum(AUDIO_FORMATS).default("mp3"),
  speed: z.number().min(SPEED_MIN).max(SPEED_MAX).default(1),
  stream_format: z.enum(["audio", "sse"]).default("audio"),
  /** Accepted for compatibility; Kokoro has no instruction following. */
  instructions: z.string().optional(),
  /** Our extensions. */
  language: z.string().optional(),
  pronunciations: z.record(z.string(), z.string()).optional(),
});
export type SpeechRequest = z.infer<typeof SpeechRequest>;
