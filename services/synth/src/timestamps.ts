import type { SynthWord, WordTiming } from "@kokoro-edge/proto";
import { SAMPLES_PER_FRAME } from "@kokoro-edge/proto";

/**
 * Word start/end times from the model's per-token durations (frames of 600
 * samples; durations[0] is the leading pad). Times are in seconds from the
 * start of the stream: the chunk's offset plus the position inside the trimmed
 * chunk audio, clamped to the speech.
 */
export function wordTimings(
  words: SynthWord[],
  durations: ArrayLike<number>,
  opts: { chunkOffset: number; trimStart: number; speechSamples: number; sampleRate: number },
): WordTiming[] {
  const starts = new Array<number>(durations.length + 1);
  starts[0] = 0;
  for (let i = 0; i < durations.length; i++)
    starts[i + 1] = starts[i]! + Number(durations[i]) * SAMPLES_PER_FRAME;
  const at = (tokenIndex: number) => {
    const raw = starts[Math.min(tokenIndex + 1, durations.length)]!; // +1: skip the leading pad
    const inChunk = Math.max(0, Math.min(opts.speechSamples, raw - opts.trimStart));
    return (opts.chunkOffset + inChunk) / opts.sampleRate;
  };
  return words.map((w) => ({
    text: w.text,
    start: w.start,
    end: w.end,
    start_s: round6(at(w.token_start)),
    end_s: round6(at(w.token_end)),
  }));
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
