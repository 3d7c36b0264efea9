// Pure-TS rendering of what the fixture model outputs (float64 math; matches the model to ~1e-4).
// Handy to build expected audio in tests without onnxruntime.

import * as C from "./contract.ts";

/** Renders the waveform for `input_ids` (pads included), a style row and a speed. */
export function renderReference(tokens: number[], style: ArrayLike<number>, speed: number): Float32Array {
  const shift = Math.fround(C.styleShiftHz(style));
  const durations = C.expectedDurations(tokens, speed);
  const out = new Float32Array(durations.reduce((a, b) => a + b, 0) * C.FRAME_SAMPLES);
  let offset = 0;
  tokens.forEach((t, i) => {
    const len = durations[i]! * C.FRAME_SAMPLES;
    if (t !== 0) {
      const f = C.tokenFrequencyHz(t, shift);
      for (let p = 0; p < len; p++) {
        const env = Math.sin((Math.PI * (p + 0.5)) / len) ** 2;
        out[offset + p] = C.AMPLITUDE * env * Math.sin((2 * Math.PI * f * p) / C.SAMPLE_RATE);
      }
    }
    offset += len;
  });
  return out;
}
