/**
 * A streaming rational resampler (24 kHz -> 8, 16, 44.1 or 48 kHz) for the
 * realtime sockets: telephony wants 8 kHz, browsers 48 kHz. Polyphase
 * windowed-sinc FIR (Blackman window), cut off below the lower Nyquist
 * frequency so downsampling does not alias. State carries across pushes, so
 * a turn's phrases join without clicks; `reset()` after a barge-in.
 */

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export class Resampler {
  readonly up: number;
  readonly down: number;
  /** phases[p][k] = h[p + k*up] * up */
  private readonly phases: Float32Array[];
  private readonly taps: number;
  private hist = new Float32Array(0);
  private inTotal = 0;
  private outNext = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    zeroCrossings = 16,
  ) {
    const g = gcd(fromRate, toRate);
    this.up = toRate / g;
    this.down = fromRate / g;
    const L = this.up;
    const M = this.down;
    // Cut-off as a fraction of the upsampled rate's Nyquist, a little below the lower band edge.
    const cutoff = 0.92 / Math.max(L, M);
    const half = Math.ceil((zeroCrossings * Math.max(L, M)) / 1);
    const n = 2 * half + 1;
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = i - half;
      const sinc = x === 0 ? cutoff : Math.sin(Math.PI * cutoff * x) / (Math.PI * x);
      const w =
        0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (n - 1));
      h[i] = sinc * w;
    }
    this.taps = Math.ceil(n / L);
    this.phases = [];
    for (let p = 0; p < L; p++) {
      const ph = new Float32Array(this.taps);
      for (let k = 0; k < this.taps; k++) {
        const idx = p + k * L;
        ph[k] = idx < n ? h[idx]! * L : 0;
      }
      this.phases.push(ph);
    }
    this.delayOut = Math.round(half / M); // group delay in output samples
  }

  /** Output samples the filter holds back (its group delay): `end()` releases them. */
  private readonly delayOut: number;
  private skipped = 0;

  /** Resample more input; returns the output samples now computable. */
  push(input: Int16Array): Int16Array {
    if (this.up === this.down) return input;
    const buf = new Float32Array(this.hist.length + input.length);
    buf.set(this.hist);
    for (let i = 0; i < input.length; i++) buf[this.hist.length + i] = input[i]!;
    const bufStart = this.inTotal - this.hist.length;
    this.inTotal += input.length;
    const out: number[] = [];
    while (true) {
      const t = this.outNext * this.down;
      const i = Math.floor(t / this.up);
      if (i > this.inTotal - 1) break;
      const ph = this.phases[t % this.up]!;
      let acc = 0;
      for (let k = 0; k < this.taps; k++) {
        const idx = i - k - bufStart;
        if (idx < 0) break;
        acc += ph[k]! * buf[idx]!;
      }
      this.outNext++;
      // The first samples are the filter's delay (silence before the signal): dropped, so output lines up with input.
      if (this.skipped < this.delayOut) {
        this.skipped++;
        continue;
      }
      out.push(acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc));
    }
    const keep = Math.min(buf.length, this.taps);
    this.hist = buf.slice(buf.length - keep);
    return Int16Array.from(out);
  }

  /** The tail the filter still holds (its delay), as if silence followed. */
  end(): Int16Array {
    if (this.up === this.down) return new Int16Array(0);
    const pad = Math.ceil((this.delayOut * this.down) / this.up) + this.taps;
    const tail = this.push(new Int16Array(pad));
    const want = Math.min(tail.length, this.delayOut);
    this.reset();
    return tail.slice(0, want);
  }

  reset(): void {
    this.hist = new Float32Array(0);
    this.inTotal = 0;
    this.outNext = 0;
    this.skipped = 0;
  }
}
