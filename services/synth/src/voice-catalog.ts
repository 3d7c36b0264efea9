import type { VoiceInfo } from "@kokoro-edge/proto";

/** Kokoro's voice prefixes (the name's first letter) and the language each speaks, as g2p names them. */
const LANGUAGES: Record<string, string> = {
  a: "en-us",
  b: "en-gb",
  e: "es",
  f: "fr-fr",
  h: "hi",
  i: "it",
  j: "ja",
  p: "pt-br",
  z: "zh",
};

/** Language and gender from Kokoro's naming (`af_heart`: American English, female). */
export function describeVoice(name: string, engine: string): VoiceInfo {
  const language = Object.hasOwn(LANGUAGES, name[0] ?? "") ? LANGUAGES[name[0]!]! : "unknown";
  const gender = name[1] === "f" ? "female" : name[1] === "m" ? "male" : "unknown";
  // g2p reads all nine of Kokoro's languages; a name outside Kokoro's scheme has no language to read
  const available = language !== "unknown";
  return { name, language, gender, engine, available };
}
