// Recovers the token sequence from fixture audio (pure TS, no onnxruntime).
//
// 1. Envelope: x^2 averaged over one local period of the tone (from zero crossings), which has
//    no sin^2 ripple yet keeps dips sharp, sampled every 0.125 ms, as an amplitude.
// 2. Segments: runs above a silence threshold (2 % of the loudest point), split at envelope
//    minima that are deep (< 25 % of the preceding peak) and followed by a real rise (x4). Each
//    token is one Hann bump and two bumps meet at ~0 amplitude, so repeated tokens split too.
// 3. Frequency: on the central part of each bump (envelope >= 30 % of its peak, at most 50 ms),
//    Hann-weighted Goertzel power over a 12.5 Hz grid covering the 178 token tones (narrowed to
//    +-75 Hz around a zero-crossing estimate when that is consistent), then a golden-section
//    refinement of the peak. token = round((f - 200) / 25) (|style shift| <= 8 Hz),
//    shift = f - 200 - 25 token; shiftHz is the median over segments.
// Trimming, short fades, inserted silences, int16 quantisation and concatenation only scale the
// bumps' edges or add silence, which none of these steps depends on.

import * as C from "./contract.ts";

export interface DecodedSegment {
  token: number;
  /** Sample range of the bump above the silence threshold (approximate token extent). */
  startSample: number;
  endSample: number;
  /** Estimated tone frequency (Hz). */
  freqHz: number;
}

export interface DecodeResult {
  tokens: number[];
  /** Median style shift (Hz) over segments; 0 when no token was found. */
  shiftHz: number;
  segments: DecodedSegment[];
}

export interface DecodeOptions {
  /** Sample rate of `pcm` (default 24000). */
  sampleRate?: number;
}

const SILENCE_REL = 0.02;
const SILENCE_ABS = 1e-4;
const DIP_REL = 0.25;
const RISE_FACTOR = 4;
const MIN_PEAK_REL = 0.1;
const CORE_REL = 0.3;
const MAX_ANALYSIS_S = 0.05;
const GRID_STEP_HZ = C.STEP_HZ / 2;
const ZC_WINDOW_HZ = 75;

export function decodeTokens(pcm: Float32Array | Int16Array, opts: DecodeOptions = {}): DecodeResult {
  const sr = opts.sampleRate ?? C.SAMPLE_RATE;
  const x = toFloat(pcm);
  const env = envelope(x, sr);
  const segments: DecodedSegment[] = [];
  const shifts: number[] = [];
  for (const seg of findBumps(env, x.length, sr)) {
    const freqHz = estimateFrequency(x, seg.coreStart, seg.coreEnd, sr);
    const token = Math.min(C.VOCAB_SIZE - 1, Math.max(0, Math.round((freqHz - C.BASE_HZ) / C.STEP_HZ)));
    shifts.push(freqHz - C.tokenFrequencyHz(token));
    segments.push({ token, startSample: seg.start, endSample: seg.end, freqHz });
  }
  return { tokens: segments.map((s) => s.token), shiftHz: median(shifts), segments };
}

function toFloat(pcm: Float32Array | Int16Array): Float32Array {
  if (pcm instanceof Float32Array) return pcm;
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}

interface Envelope {
  hop: number;
  values: Float64Array; // amplitude at sample i * hop
}

/**
 * Amplitude envelope sqrt(2 * mean(x^2)), the mean taken over one local period of the tone
 * (a box of exactly one period cancels the sin^2 ripple of a steady tone, and stays as short as
 * the tone allows so that dips between tokens, even the V of two 5 ms fades, stay deep).
 * The local period comes from the (interpolated) zero crossings around each grid point:
 * twice the median of the three half-periods around it, clamped to [2, lowest tone's period].
 */
function envelope(x: Float32Array, sr: number): Envelope {
  const maxPeriod = sr / (C.BASE_HZ - 10);
  const hop = Math.max(1, Math.round(sr / 8000));
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + x[i]! * x[i]!;
  // Sum of x^2 over [0, t) for fractional t (x^2 spread uniformly over each sample).
  const energyTo = (t: number): number => {
    if (t <= 0) return 0;
    if (t >= n) return prefix[n]!;
    const k = Math.floor(t);
    return prefix[k]! + (t - k) * x[k]! * x[k]!;
  };
  const z = zeroCrossings(x, 0, n);
  const points = Math.ceil(n / hop);
  const values = new Float64Array(points);
  let k = 0; // index of the first crossing after the grid point
  for (let i = 0; i < points; i++) {
    const c = i * hop;
    while (k < z.length && z[k]! <= c) k++;
    const half = medianHalfPeriod(z, k, maxPeriod);
    const period = Math.min(maxPeriod, Math.max(2, 2 * half));
    const meanSq = (energyTo(c + 0.5 + period / 2) - energyTo(c + 0.5 - period / 2)) / period;
    values[i] = Math.sqrt(2 * Math.max(0, meanSq));
  }
  return { hop, values };
}

/** Median of the half-periods z[j+1]-z[j] for j = k-2..k that exist (fallback when none). */
function medianHalfPeriod(z: number[], k: number, fallback: number): number {
  const a = k >= 2 ? z[k - 1]! - z[k - 2]! : NaN;
  const b = k >= 1 && k < z.length ? z[k]! - z[k - 1]! : NaN;
  const c = k + 1 < z.length ? z[k + 1]! - z[k]! : NaN;
  const v = [a, b, c].filter((d) => !Number.isNaN(d));
  if (v.length === 0) return fallback;
  if (v.length === 1) return v[0]!;
  if (v.length === 2) return (v[0]! + v[1]!) / 2;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Interpolated zero-crossing times in x[a..b). */
function zeroCrossings(x: Float32Array, a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a + 1; i < b; i++) {
    const p = x[i - 1]!;
    const q = x[i]!;
    if ((p < 0 && q >= 0) || (p >= 0 && q < 0)) out.push(i - 1 + p / (p - q));
  }
  return out;
}

interface Bump {
  start: number;
  end: number;
  coreStart: number;
  coreEnd: number;
}

/** Splits the envelope into Hann bumps (one per token). Returns sample ranges. */
function findBumps({ hop, values }: Envelope, n: number, sr: number): Bump[] {
  let emax = 0;
  for (const v of values) if (v > emax) emax = v;
  if (emax < SILENCE_ABS) return [];
  const thr = Math.max(SILENCE_ABS, SILENCE_REL * emax);

  // Grid ranges [a, b) of bumps.
  const ranges: [number, number][] = [];
  let i = 0;
  while (i < values.length) {
    if (values[i]! <= thr) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < values.length && values[i]! > thr) i++;
    const runEnd = i;
    let segStart = runStart;
    let peak = 0;
    let falling = false;
    let minVal = Infinity;
    let minIdx = -1;
    for (let j = runStart; j < runEnd; j++) {
      const v = values[j]!;
      if (!falling) {
        if (v > peak) peak = v;
        else if (v < DIP_REL * peak) {
          falling = true;
          minVal = v;
          minIdx = j;
        }
      } else if (v < minVal) {
        minVal = v;
        minIdx = j;
      } else if (v > RISE_FACTOR * minVal) {
        ranges.push([segStart, minIdx]);
        segStart = minIdx;
        peak = v;
        falling = false;
      }
    }
    ranges.push([segStart, runEnd]);
  }

  const bumps: Bump[] = [];
  const maxCore = Math.round(MAX_ANALYSIS_S * sr);
  for (const [a, b] of ranges) {
    let p = a;
    for (let j = a; j < b; j++) if (values[j]! > values[p]!) p = j;
    const peak = values[p]!;
    const start = a * hop;
    const end = Math.min(n, b * hop);
    if (peak < MIN_PEAK_REL * emax || end - start < 0.002 * sr) continue;
    // Core: contiguous part around the peak with envelope >= CORE_REL * peak, capped around the peak.
    let ca = p;
    let cb = p;
    while (ca > a && values[ca - 1]! >= CORE_REL * peak) ca--;
    while (cb < b - 1 && values[cb + 1]! >= CORE_REL * peak) cb++;
    let coreStart = Math.max(start, ca * hop);
    let coreEnd = Math.min(end, (cb + 1) * hop);
    if (coreEnd - coreStart > maxCore) {
      const mid = Math.min(Math.max(p * hop, coreStart + maxCore / 2), coreEnd - maxCore / 2);
      coreStart = Math.round(mid - maxCore / 2);
      coreEnd = coreStart + maxCore;
    }
    bumps.push({ start, end, coreStart, coreEnd });
  }
  return bumps;
}

/** Goertzel power of the (already windowed) samples y at frequency f. */
function power(y: Float64Array, f: number, sr: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * f) / sr);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < y.length; i++) {
    const s0 = y[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Frequency of the tone in x[a..b): Goertzel on a 12.5 Hz grid, then golden-section refinement. */
function estimateFrequency(x: Float32Array, a: number, b: number, sr: number): number {
  const n = b - a;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[a + i]! * Math.sin((Math.PI * (i + 0.5)) / n) ** 2;
  const fullLo = C.BASE_HZ - GRID_STEP_HZ;
  const fullHi = C.tokenFrequencyHz(C.VOCAB_SIZE - 1) + GRID_STEP_HZ;
  // Fast path: scan only near the zero-crossing estimate; if the best grid point ends up on the
  // edge of that window (estimate unreliable), scan the whole range of token tones.
  const zc = zeroCrossingHz(x, a, b, sr);
  if (zc > 0) {
    const lo = Math.max(
      fullLo,
      fullLo + GRID_STEP_HZ * Math.floor((zc - ZC_WINDOW_HZ - fullLo) / GRID_STEP_HZ),
    );
    const hi = Math.min(fullHi, lo + 2 * ZC_WINDOW_HZ + GRID_STEP_HZ);
    const best = gridPeak(y, lo, hi, sr);
    if (best > lo || lo === fullLo) {
      if (best + GRID_STEP_HZ <= hi || hi === fullHi) return refinePeak(y, best, sr);
    }
  }
  return refinePeak(y, gridPeak(y, fullLo, fullHi, sr), sr);
}

/** Grid frequency in [lo, hi] with the highest power. */
function gridPeak(y: Float64Array, lo: number, hi: number, sr: number): number {
  let best = lo;
  let bestPower = -1;
  for (let f = lo; f <= hi + 1e-9; f += GRID_STEP_HZ) {
    const pw = power(y, f, sr);
    if (pw > bestPower) {
      bestPower = pw;
      best = f;
    }
  }
  return best;
}

/** Golden-section search of the power peak within one grid step of `best`. The Hann main lobe
 *  (>= 40 Hz half-width for <= 50 ms of signal) is unimodal there. */
function refinePeak(y: Float64Array, best: number, sr: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let l = best - GRID_STEP_HZ;
  let r = best + GRID_STEP_HZ;
  let m1 = r - g * (r - l);
  let m2 = l + g * (r - l);
  let p1 = power(y, m1, sr);
  let p2 = power(y, m2, sr);
  while (r - l > 0.01) {
    if (p1 < p2) {
      l = m1;
      m1 = m2;
      p1 = p2;
      m2 = l + g * (r - l);
      p2 = power(y, m2, sr);
    } else {
      r = m2;
      m2 = m1;
      p2 = p1;
      m1 = r - g * (r - l);
      p1 = power(y, m1, sr);
    }
  }
  return (l + r) / 2;
}

/** Frequency from the first and last zero crossings in x[a..b); 0 if there are fewer than 3. */
function zeroCrossingHz(x: Float32Array, a: number, b: number, sr: number): number {
  const z = zeroCrossings(x, a, b);
  return z.length < 3 ? 0 : ((z.length - 1) / 2 / (z[z.length - 1]! - z[0]!)) * sr;
}

function median(v: number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
