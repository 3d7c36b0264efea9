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
export function cueSynthesizer(deps: RenderTextDeps, o: CueNames): Synthesize {
  return (cue, speed, signal) => skippingUnspeakable(() => renderText(deps, cueText(o, cue, speed, signal)));
}

/** cueSynthesizer as the audio is made (untimed documents streamed live: a long cue is never held whole). */
export function cueStreamSynthesizer(deps: RenderTextDeps, o: CueNames): SynthesizeStream {
  return async function* (cue, speed, signal) {
    try {
      yield* streamText(deps, cueText(o, cue, speed, signal));
    } catch (err) {
      throw asSkip(err);
    }
  };
}

/** How a render names a cue's voice and its synth request. */
export interface CueNames {
  voiceFor: (cue: Cue) => string;
  requestId: (cue: Cue, speed: number) => string;
}

const cueText = (o: CueNames, cue: Cue, speed: number, signal: AbortSignal | undefined) => ({
  text: cue.text,
  voice: o.voiceFor(cue),
  speed,
  signal,
  requestId: o.requestId(cue, speed),
});

async function skippingUnspeakable<T>(render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (err) {
    throw asSkip(err);
  }
}

const asSkip = (err: unknown) =>
  err instanceof AppError && UNSPEAKABLE.has(err.code) ? new SkipCue(err.code, err.message) : err;
