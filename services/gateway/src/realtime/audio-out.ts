/**
 * The realtime sockets' output formats: Kokoro's 24 kHz PCM resampled and
 * encoded per connection (linear16 at 8/16/24/48 kHz, µ-law and A-law at
 * 8 kHz, MP3 at 44.1 kHz). One `AudioOut` per socket, continuous across a
 * turn's phrases; `reset()` after a barge-in drops the filter's state.
 */
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { Mp3StreamEncoder } from "../encoders/mp3";
import { pcmBytes } from "../encoders/types";
import { encodeG711 } from "./g711";
import { Resampler } from "./resample";

export type Encoding = "linear16" | "mulaw" | "alaw" | "mp3";

export interface OutputFormat {
  encoding: Encoding;
  sampleRate: number;
  /** MP3 only. */
  bitrate?: number;
}

/** Rates each encoding is offered at. */
export const ENCODING_RATES: Record<Encoding, readonly number[]> = {
  linear16: [8000, 16000, 24000, 48000],
  mulaw: [8000],
  alaw: [8000],
  mp3: [22050, 24000, 44100],
};

export class AudioOut {
  private resampler: Resampler;

  private constructor(
    readonly format: OutputFormat,
    /** MP3: one encoder for the socket's life, begun afresh at each turn. */
    private readonly mp3?: Mp3StreamEncoder,
  ) {
    this.resampler = new Resampler(SAMPLE_RATE, format.sampleRate);
  }

  static async open(format: OutputFormat): Promise<AudioOut> {
    const mp3 =
      format.encoding === "mp3"
        ? await Mp3StreamEncoder.create({ sampleRate: format.sampleRate, bitrate: format.bitrate })
        : undefined;
    return new AudioOut(format, mp3);
  }

  private closed = false;

  /** The socket closed: the MP3 encoder goes back for another, and nothing more is encoded. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mp3?.close();
  }

  /** 24 kHz samples in, bytes to send out (possibly empty). */
  push(pcm24k: Int16Array): Uint8Array {
    return this.encode(this.resampler.push(pcm24k));
  }

  /** The end of a turn: what the filter and the encoder still hold. */
  end(): Uint8Array {
    const tail = this.encode(this.resampler.end());
    if (!this.mp3 || this.closed) return tail;
    const last = this.mp3.flush();
    this.mp3.restart(); // the next turn is a new MP3 stream
    if (!tail.length) return last;
    const both = new Uint8Array(tail.length + last.length);
    both.set(tail);
    both.set(last, tail.length);
    return both;
  }

  /** Barge-in: forget the buffered state; the next audio starts clean. */
  reset(): void {
    this.resampler.reset();
    if (!this.closed) this.mp3?.restart();
  }

  private encode(pcm: Int16Array): Uint8Array {
    switch (this.format.encoding) {
      case "linear16":
        return pcmBytes(pcm);
      case "mulaw":
      case "alaw":
        return encodeG711(pcm, this.format.encoding);
      case "mp3":
        return pcm.length && !this.closed ? this.mp3!.push(pcm) : new Uint8Array(0);
    }
  }
}
