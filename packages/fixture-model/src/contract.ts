// The audio contract of the fixture model, shared by the graph builder (graph.ts), the decoder
// (decode.ts) and tests. Changing a number here changes the model and the decoder together.

/** Output sample rate (Hz), as Kokoro. */
export const SAMPLE_RATE = 24000;
/** Samples per duration frame (Kokoro: 600 samples = 25 ms at 24 kHz). */
export const FRAME_SAMPLES = 600;
/** Vocabulary size (ids 0..177; 0 is the pad token). */
export const VOCAB_SIZE = 178;
/** Kokoro's context: 510 tokens + 2 pads. Longer inputs make the model fail, like Kokoro. */
export const MAX_TOKENS = 512;

/** Tone of token t: BASE_HZ + STEP_HZ * t + shift(style). */
export const BASE_HZ = 200;
export const STEP_HZ = 25;
/** Peak amplitude of a token's Hann bump. */
export const AMPLITUDE = 0.5;

/** shift(style) = SHIFT_MAX_HZ * tanh(SHIFT_GAIN * mean(style[0..SHIFT_DIMS-1])), |shift| <= 8 Hz. */
export const SHIFT_MAX_HZ = 8;
export const SHIFT_GAIN = 50;
export const SHIFT_DIMS = 128;

/** Frames per token before speed: 3 + (t mod 3), i.e. 75/100/125 ms at speed 1. */
export const BASE_FRAMES = 3;
/** Upper clamp on a token's frame count (guards against speed ~ 0; never reached for speed >= 0.05). */
export const MAX_FRAMES_PER_TOKEN = 1000;

/** Round half to even, as ONNX Round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Frames of one token at a speed, exactly as the graph computes it (float32 division, Round, Clip). */
export function tokenFrames(token: number, speed: number): number {
  const base = BASE_FRAMES + (((token % 3) + 3) % 3);
  const ratio = Math.fround(base / Math.fround(speed));
  return Math.min(MAX_FRAMES_PER_TOKEN, Math.max(1, roundHalfEven(ratio)));
}

/** Durations (frames of 600 samples) the model outputs for `input_ids` (pads included). */
export function expectedDurations(tokens: number[], speed: number): number[] {
  return tokens.map((t) => tokenFrames(t, speed));
}

/** Number of samples the model outputs for `input_ids` (pads included). */
export function expectedSamples(tokens: number[], speed: number): number {
  return expectedDurations(tokens, speed).reduce((a, b) => a + b, 0) * FRAME_SAMPLES;
}

/** Style shift in Hz (float64 mirror of the graph's float32 computation). */
export function styleShiftHz(style: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < SHIFT_DIMS; i++) sum += style[i]!;
  return SHIFT_MAX_HZ * Math.tanh(SHIFT_GAIN * (sum / SHIFT_DIMS));
}

/** Tone frequency (Hz) of a token for a given style shift. */
export function tokenFrequencyHz(token: number, shiftHz = 0): number {
  return BASE_HZ + STEP_HZ * token + shiftHz;
}
