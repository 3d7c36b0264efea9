import type { G2pResult, SynthChunk } from "@kokoro-edge/proto";

/**
 * G2P chunks -> synth chunks. A chunk with no tokens (a bare [pause:] tag or
 * paragraph break) adds its silence to the chunk before it.
 */
export function synthChunks(result: G2pResult): SynthChunk[] {
  const out: SynthChunk[] = [];
  let leadingPause = 0;
  for (const c of result.chunks) {
    if (c.tokens.length === 0) {
      if (out.length)
        out[out.length - 1]!.pause_after_s = Math.min(
          60,
          out[out.length - 1]!.pause_after_s + c.pause_after_s,
        );
      else leadingPause += c.pause_after_s;
      continue;
    }
    out.push({
      index: out.length,
      tokens: c.tokens,
      pause_after_s: c.pause_after_s,
      text: c.normalized,
      words: c.words.map((w) => ({
        text: w.text,
        start: w.start,
        end: w.end,
        token_start: w.token_start,
        token_end: w.token_end,
      })),
    });
  }
  void leadingPause; // leading silence carries no meaning in a stream
  return out;
}

/** Tokens sent to the model (the usage figure in speech.audio.done). */
export const tokenCount = (chunks: SynthChunk[]) => chunks.reduce((n, c) => n + c.tokens.length, 0);
