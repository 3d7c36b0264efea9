import { AppError } from "@kokoro-edge/runtime";
import { SkipCue, type Synthesize, type SynthesizeStream } from "../subtitles/timeline";
import type { Cue } from "../subtitles/types";
import { renderText, streamText, type RenderTextDeps } from "./render-text";

/** g2p answers these for text with nothing to say; such a cue is skipped, not fatal. */
const UNSPEAKABLE = new Set(["no_speakable_text"]);

/**
 * The Synthesize a subtitle or job render uses: one cue through g2p and the
 * synth replicas. A cue g2p finds nothing to speak in (only an emoji) becomes
 * a SkipCue, so the timeline reports it and leaves its slot silent rather
 * than ending the stream or failing the job (issue 20, finding 7).
 */
export function cueSynthesizer(
  deps: RenderTextDeps,
  o: { voiceFor: (cue: Cue) => string; requestId: (cue: Cue, speed: number) => string },
): Synthesize {
  return async (cue, speed, signal) => {
    try {
      return await renderText(deps, {
        text: cue.text,
        voice: o.voiceFor(cue),
        speed,
        signal,
        requestId: o.requestId(cue, speed),
      });
    } catch (err) {
      if (err instanceof AppError && UNSPEAKABLE.has(err.code)) throw new SkipCue(err.code, err.message);
      throw err;
    }
  };
}

/** cueSynthesizer as the audio is made (untimed documents streamed live: a long cue is never held whole). */
export function cueStreamSynthesizer(
  deps: RenderTextDeps,
  o: { voiceFor: (cue: Cue) => string; requestId: (cue: Cue, speed: number) => string },
): SynthesizeStream {
  return async function* (cue, speed, signal) {
    try {
      yield* streamText(deps, {
        text: cue.text,
        voice: o.voiceFor(cue),
        speed,
        signal,
        requestId: o.requestId(cue, speed),
      });
    } catch (err) {
      if (err instanceof AppError && UNSPEAKABLE.has(err.code)) throw new SkipCue(err.code, err.message);
      throw err;
    }
  };
}
