import { type AudioFormat, type StreamEncoder, EMPTY, EncoderStateError, pcmBytes } from "./types";

/** Raw signed 16-bit little-endian mono: the samples as they come. */
export class PcmEncoder implements StreamEncoder {
  readonly format: AudioFormat = "pcm";
  readonly contentType: string = "audio/pcm";
  private ended = false;

  start(): Uint8Array {
    return EMPTY;
  }

  push(pcm: Int16Array): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "push after end");
    return pcm.length ? pcmBytes(pcm) : EMPTY;
  }

  end(): Uint8Array {
    this.ended = true;
    return EMPTY;
  }
}
