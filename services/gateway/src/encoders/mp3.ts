import { Mp3Encoder } from "@breezystack/lamejs";
import { type EncoderOptions, type StreamEncoder, EMPTY, EncoderStateError } from "./types";

/** Rates LAME encodes: MPEG-2.5, MPEG-2 (24 kHz is native MPEG-2 layer III) and MPEG-1. */
export const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
/** Bitrates (kbps) valid for MPEG-2/2.5 layer III; MPEG-1 has its own set. */
const MPEG2_KBPS = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG1_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
export const MP3_DEFAULT_BITRATE = 64_000;

function bytes(a: Int8Array | Uint8Array): Uint8Array {
  return a.length ? new Uint8Array(a.buffer, a.byteOffset, a.length).slice() : EMPTY;
}

/**
 * MP3 (CBR, mono) from one LAME encoder: a continuous sequence of frames with
 * no ID3 tag and no Xing/Info frame, so a stream can be cut or concatenated
 * at any frame and players see one file.
 */
export class Mp3StreamEncoder implements StreamEncoder {
  readonly format = "mp3" as const;
  readonly contentType = "audio/mpeg";
  private readonly enc: Mp3Encoder;
  private ended = false;

  constructor(opts: EncoderOptions) {
    if (!(MP3_RATES as readonly number[]).includes(opts.sampleRate)) {
      throw new RangeError(`mp3: sample rate ${opts.sampleRate} not one of ${MP3_RATES.join(", ")}`);
    }
    const kbps = Math.round((opts.bitrate ?? MP3_DEFAULT_BITRATE) / 1000);
    const valid = opts.sampleRate >= 32000 ? MPEG1_KBPS : MPEG2_KBPS;
    if (!valid.includes(kbps))
      throw new RangeError(
        `mp3: bitrate ${kbps} kbps not one of ${valid.join(", ")} at ${opts.sampleRate} Hz`,
      );
    this.enc = new Mp3Encoder(1, opts.sampleRate, kbps);
  }

  start(): Uint8Array {
    return EMPTY;
  }

  push(pcm: Int16Array): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "push after end");
    return pcm.length ? bytes(this.enc.encodeBuffer(pcm)) : EMPTY;
  }

  end(): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "end called twice");
    this.ended = true;
    return bytes(this.enc.flush());
  }
}
