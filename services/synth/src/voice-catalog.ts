import type { VoiceInfo } from "@kokoro-edge/proto";

const LANGUAGES: Record<string, string> = {
  a: "en-us",
  b: "en-gb",
  e: "es",
  f: "fr",
  h: "hi",
  i: "it",
  j: "ja",
  p: "pt-br",
  z: "zh",
};

/** Language and gender from Kokoro's naming (`af_heart`: American English, female). */
export function describeVoice(name: string, engine: string): VoiceInfo {
  const language = LANGUAGES[name[0] ?? ""] ?? "unknown";
  const gender = name[1] === "f" ? "female" : name[1] === "m" ? "male" : "unknown";
  // The g2p service speaks English only, and espeak stands in for English voices only.
  const available = language === "en-us" || language === "en-gb";
  return { name, language, gender, engine, available };
}
