/** TimelineSink implementations: a whole track in memory, and an in-order PCM emitter. */
import type { TimelineSink } from "./timeline";

function mixInto(dst: Int16Array, at: number, src: Int16Array): void {
  for (let i = 0; i < src.length; i++) {
    const v = dst[at + i]! + src[i]!;
    dst[at + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

/** Keeps the whole track in memory (short tracks, tests). Overlaps are mixed. */
export class PcmTrackSink implements TimelineSink {
  private buf = new Int16Array(0);
  private length = 0;
  ended = false;

  write(offsetSamples: number, pcm: Int16Array): void {
    this.ensure(offsetSamples + pcm.length);
    mixInto(this.buf, offsetSamples, pcm);
  }

  end(totalSamples: number): void {
    this.ensure(totalSamples);
    this.length = Math.max(this.length, totalSamples);
    this.ended = true;
  }

  /** The track so far (a copy-free view). */
  pcm(): Int16Array {
    return this.buf.subarray(0, this.length);
  }

  private ensure(n: number): void {
    if (n > this.buf.length) {
      const next = new Int16Array(Math.max(n, Math.ceil(this.buf.length * 1.5)));
      next.set(this.buf);
      this.buf = next;
    }
    this.length = Math.max(this.length, n);
  }
}

export interface OrderedPcmWriterOptions {
  /** Sample the output starts at (a resume point); writes before it are an error. Default 0. */
  startSample?: number;
  /** Largest chunk of silence emitted at once, in samples. Default 24000 (1 s at 24 kHz). */
  maxSilenceChunk?: number;
}

/**
 * Turns placed writes into one contiguous PCM stream, emitted in order, with
 * silence between cues. A cue's audio is emitted up to the point the next cue
 * may start (`settle`, or the next write's offset); the rest is held, since a
 * later cue may overlap its tail and is mixed in. Memory is one cue's audio
 * plus overlaps, whatever the track's length. `emit` may return a
 * promise to apply backpressure.
 */
export class OrderedPcmWriter implements TimelineSink {
  private flushed: number;
  private pending = new Int16Array(0); // covers [flushed, flushed + pending.length)
  private readonly maxSilence: number;

  constructor(
    private readonly emit: (chunk: Int16Array) => void | Promise<void>,
    opts: OrderedPcmWriterOptions = {},
  ) {
    this.flushed = opts.startSample ?? 0;
    this.maxSilence = Math.max(1, opts.maxSilenceChunk ?? 24_000);
  }

  /** Samples emitted so far (absolute, including startSample). */
  get emittedSamples(): number {
    return this.flushed;
  }

  async write(offsetSamples: number, pcm: Int16Array): Promise<void> {
    if (offsetSamples < this.flushed) {
      throw new Error(`write at sample ${offsetSamples} is before the emitted position ${this.flushed}`);
    }
    await this.flushTo(offsetSamples);
    const tail = this.pending;
    const merged = new Int16Array(Math.max(tail.length, pcm.length));
    merged.set(tail);
    mixInto(merged, 0, pcm);
    this.pending = merged;
  }

  /** Emit everything before `sample` now (no later write starts before it). */
  async settle(sample: number): Promise<void> {
    if (sample > this.flushed) await this.flushTo(sample);
  }

  async end(totalSamples: number): Promise<void> {
    await this.flushTo(Math.max(totalSamples, this.flushed + this.pending.length));
  }

  private async flushTo(target: number): Promise<void> {
    const fromPending = Math.min(this.pending.length, target - this.flushed);
    if (fromPending > 0) {
      const chunk = this.pending.slice(0, fromPending);
      this.pending = this.pending.subarray(fromPending);
      this.flushed += fromPending;
      await this.emit(chunk);
    }
    while (this.flushed < target) {
      const n = Math.min(this.maxSilence, target - this.flushed);
      this.flushed += n;
      await this.emit(new Int16Array(n));
    }
  }
}
