/**
 * Band-limited resampling (windowed sinc, Blackman window), used to bring
 * espeak-ng's 22.05 kHz to Kokoro's 24 kHz. When upsampling the cutoff is the
 * input's Nyquist; quality is ample for a fallback voice.
 */
export function resample(input: Float32Array, from: number, to: number, halfTaps = 16): Float32Array {
  if (from === to) return input.slice();
  const ratio = to / from;
  const out = new Float32Array(Math.round(input.length * ratio));
  const cutoff = Math.min(1, ratio); // relative to the input Nyquist
  for (let i = 0; i < out.length; i++) {
    const center = i / ratio;
    const first = Math.ceil(center - halfTaps);
    const last = Math.floor(center + halfTaps);
    let acc = 0;
    let norm = 0;
    for (let j = first; j <= last; j++) {
      const x = center - j;
      const w =
        0.42 + 0.5 * Math.cos((Math.PI * x) / halfTaps) + 0.08 * Math.cos((2 * Math.PI * x) / halfTaps);
      const s = x === 0 ? cutoff : Math.sin(Math.PI * cutoff * x) / (Math.PI * x);
      const k = w * s;
      norm += k;
      if (j >= 0 && j < input.length) acc += input[j]! * k;
    }
    out[i] = norm ? acc / norm : 0;
  }
  return out;
}
