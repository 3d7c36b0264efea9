/** What every engine gives back for one chunk of tokens. */
export interface InferenceResult {
  /** Mono float audio at `sampleRate`. */
  audio: Float32Array;
  /** Frames (600 samples) per token, pads included, when the engine knows them. */
  durations?: Int32Array;
}

/** What a chunk gives an engine: Kokoro's tokens, and the words for engines that read text. */
export interface InferenceInput {
  /** Token ids WITHOUT pads. */
  tokens: number[];
  /** The chunk's normalised text (spoken words). */
  text?: string;
  /** The first voice of the request (engines without style vectors pick by it). */
  voice?: string;
}

/** Which inference lane runs a chunk: "urgent" is the first-chunk lane (see DeadlineScheduler). */
export type Lane = "normal" | "urgent";

export interface Engine {
  /** "kokoro" for real weights, "fixture" for the generated test model, "espeak" for the fallback. */
  readonly name: string;
  /** File name and sha256 prefix (or version) of what is loaded. */
  readonly model: string;
  readonly modelVersion: string;
  /** What identifies the loaded model exactly: its file's sha256, or an engine's name and version. */
  readonly modelId: string;
  readonly sampleRate: number;
  /** False for engines that ignore style vectors (espeak-ng): they need no voice pack. */
  readonly usesStyle?: boolean;
  /** style: 256 floats; speed 0.25-4; lane: engines without lanes ignore it. */
  infer(input: InferenceInput, style: Float32Array, speed: number, lane?: Lane): Promise<InferenceResult>;
  /** Give back memory held by finished work (called when the worker goes idle). */
  compact?(): Promise<void>;
  close(): Promise<void>;
}
