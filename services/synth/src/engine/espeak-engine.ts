import { spawn } from "node:child_process";
import { SAMPLE_RATE, voiceLanguage, type Language } from "@kokoro-edge/proto";
import { resample } from "./resample";
import type { Engine, InferenceInput, InferenceResult } from "./types";

/** espeak-ng's voice for each of Kokoro's languages (where its name differs). */
const ESPEAK_VOICE: Partial<Record<Language, string>> = { zh: "cmn" };

/** espeak-ng voices standing in for Kokoro's, by language and gender prefix. */
export function espeakVoice(kokoroVoice: string): string {
  const language = voiceLanguage(kokoroVoice) ?? "en-us";
  const lang = ESPEAK_VOICE[language] ?? language;
  const gender = kokoroVoice[1] === "m" ? "m3" : "f3";
  return `${lang}+${gender}`;
}

/** Runs `espeak-ng --stdout` and returns its 16-bit mono WAV as floats at its own rate. */
async function runEspeak(
  bin: string,
  text: string,
  voice: string,
  wordsPerMinute: number,
): Promise<{ rate: number; audio: Float32Array }> {
  const child = spawn(
    bin,
    ["-v", voice, "-s", String(Math.round(wordsPerMinute)), "--stdout", "-b", "1", "--stdin"],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const chunks: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (b: Buffer) => chunks.push(b));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  child.stdin.end(text);
  const code: number = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`espeak-ng exited with ${code}: ${err.trim()}`);
  const wav = Buffer.concat(chunks);
  if (wav.length < 44 || wav.toString("ascii", 0, 4) !== "RIFF")
    throw new Error("espeak-ng did not produce WAV");
  const rate = wav.readUInt32LE(24);
  let o = 12;
  while (o + 8 <= wav.length && wav.toString("ascii", o, o + 4) !== "data") o += 8 + wav.readUInt32LE(o + 4);
  const start = o + 8;
  const n = Math.floor((wav.length - start) / 2);
  const audio = new Float32Array(n);
  for (let i = 0; i < n; i++) audio[i] = wav.readInt16LE(start + i * 2) / 32768;
  return { rate, audio };
}

/**
 * Fallback engine for offline and development setups with no Kokoro model:
 * Debian's espeak-ng speaks the chunk's normalised text. Robotic but
 * intelligible, and labelled as such in every response header.
 */
export class EspeakEngine implements Engine {
  readonly name = "espeak";
  readonly sampleRate = SAMPLE_RATE;
  readonly usesStyle = false;
  readonly model: string;
  readonly modelVersion: string;
  readonly modelId: string;
  private constructor(
    private readonly bin: string,
    version: string,
  ) {
    this.model = "espeak-ng";
    this.modelVersion = version;
    this.modelId = `espeak-ng ${version}`;
  }

  /** undefined when the binary is not installed. */
  static async create(bin = "espeak-ng"): Promise<EspeakEngine | undefined> {
    const version = await new Promise<string | undefined>((resolve) => {
      const c = spawn(bin, ["--version"]);
      let out = "";
      c.stdout.on("data", (b: Buffer) => (out += b.toString()));
      c.once("error", () => resolve(undefined));
      c.once("close", (code) =>
        resolve(code === 0 ? (/(\d+\.\d+(\.\d+)?)/.exec(out)?.[1] ?? "unknown") : undefined),
      );
    });
    return version ? new EspeakEngine(bin, version) : undefined;
  }

  async infer(input: InferenceInput, _style: Float32Array, speed: number): Promise<InferenceResult> {
    const text = input.text?.trim();
    if (!text) return { audio: new Float32Array(0) };
    const { rate, audio } = await runEspeak(this.bin, text, espeakVoice(input.voice ?? "af"), 175 * speed);
    return { audio: resample(audio, rate, SAMPLE_RATE) };
  }

  async close(): Promise<void> {}
}
