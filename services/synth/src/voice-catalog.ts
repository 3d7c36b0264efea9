import { voiceLanguage, type VoiceInfo } from "@kokoro-edge/proto";

/** Language and gender from Kokoro's naming (`af_heart`: American English, female). */
export function describeVoice(name: string, engine: string): VoiceInfo {
  const language = voiceLanguage(name) ?? "unknown";
  const gender = name[1] === "f" ? "female" : name[1] === "m" ? "male" : "unknown";
  // g2p reads all nine of Kokoro's languages; a name outside Kokoro's scheme has no language to read
  const available = language !== "unknown";
  return { name, language, gender, engine, available };
}
