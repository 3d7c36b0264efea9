import { Encoder } from "@evan/opus/wasm/index.mjs";
import { OggWriter, type OggPacket } from "./ogg";
import { type EncoderOptions, type StreamEncoder, EMPTY, EncoderStateError, concatBytes } from "./types";

/** Input rates libopus accepts; the Ogg granule clock is always 48 kHz. */
export const OPUS_RATES = [8000, 12000, 16000, 24000, 48000] as const;
type OpusRate = (typeof OPUS_RATES)[number];

const CTL_SET_BITRATE = 4002;
const CTL_SET_SIGNAL = 4024;
const CTL_GET_LOOKAHEAD = 4027;
const CTL_SET_COMPLEXITY = 4010;
/**
 * libopus's complexity (0-10, default 10). 5 takes half the CPU for the same size on speech at
 * 32 kbps (bench/encode-bench.ts: 15.8 against 30.8 ms per audio second, 635 against 632 KB for
 * 160 s): the gateway scales on CPU, so encoder CPU is replicas.
 */
export const OPUS_COMPLEXITY = 5;
const SIGNAL_VOICE = 3001;
const FRAME_MS = 20;
export const OPUS_DEFAULT_BITRATE = 32_000;

function opusHead(channels: number, preSkip: number, inputRate: number): Uint8Array {
  const h = new Uint8Array(19);
  const dv = new DataView(h.buffer);
  h.set(new TextEncoder().encode("OpusHead"), 0);
  h[8] = 1; // version
  h[9] = channels;
  dv.setUint16(10, preSkip, true);
  dv.setUint32(12, inputRate, true);
  dv.setInt16(16, 0, true); // output gain
  h[18] = 0; // channel mapping family 0 (mono/stereo)
  return h;
}

function opusTags(vendor: string): Uint8Array {
  const v = new TextEncoder().encode(vendor);
  const t = new Uint8Array(8 + 4 + v.length + 4);
  const dv = new DataView(t.buffer);
  t.set(new TextEncoder().encode("OpusTags"), 0);
  dv.setUint32(8, v.length, true);
  t.set(v, 12);
  dv.setUint32(12 + v.length, 0, true); // no user comments
  return t;
}

function randomSerial(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * Ogg Opus (RFC 7845) from one libopus encoder: OpusHead and OpusTags pages,
 * then audio pages in 20 ms packets with 48 kHz granule positions, pre-skip
 * from the encoder's lookahead and an end-trimmed granule on the EOS page, so
 * a decoder returns exactly the samples pushed.
 */
export class OpusStreamEncoder implements StreamEncoder {
  readonly format = "opus" as const;
  readonly contentType = "audio/ogg; codecs=opus";
  private readonly enc: Encoder;
  private readonly ogg: OggWriter;
  private readonly frame: Int16Array;
  private fill = 0;
  private inputSamples = 0; // samples pushed (input rate)
  private codedSamples = 0; // samples fed to the encoder, padding included (input rate)
  private readonly lookahead: number; // input rate
  private readonly scale: number; // 48 kHz units per input sample
  readonly preSkip: number; // 48 kHz units
  private state: "new" | "started" | "ended" = "new";

  constructor(opts: EncoderOptions & { serial?: number }) {
    const rate = opts.sampleRate;
    if (!(OPUS_RATES as readonly number[]).includes(rate)) {
      throw new RangeError(`opus: input sample rate ${rate} not one of ${OPUS_RATES.join(", ")}`);
    }
    this.enc = new Encoder({ channels: 1, sample_rate: rate as OpusRate, application: "audio" });
    this.enc.ctl(CTL_SET_BITRATE, opts.bitrate ?? OPUS_DEFAULT_BITRATE);
    this.enc.ctl(CTL_SET_SIGNAL, SIGNAL_VOICE);
    this.enc.ctl(CTL_SET_COMPLEXITY, OPUS_COMPLEXITY);
    this.lookahead = this.enc.ctl(CTL_GET_LOOKAHEAD);
    this.scale = 48000 / rate;
    this.preSkip = this.lookahead * this.scale;
    this.frame = new Int16Array((rate * FRAME_MS) / 1000);
    this.ogg = new OggWriter(opts.serial ?? randomSerial());
    this.sampleRate = rate;
  }

  private readonly sampleRate: number;

  start(): Uint8Array {
    if (this.state !== "new") throw new EncoderStateError(this.format, "start called twice");
    this.state = "started";
    // RFC 7845: the identification header alone on the first page, comments on the next
    const head = this.ogg.write([{ data: opusHead(1, this.preSkip, this.sampleRate), granule: 0n }]);
    const tags = this.ogg.write([{ data: opusTags("kokoro-edge (libopus)"), granule: 0n }]);
    return concatBytes([head, tags]);
  }

  push(pcm: Int16Array): Uint8Array {
    if (this.state === "ended") throw new EncoderStateError(this.format, "push after end");
    if (this.state === "new") throw new EncoderStateError(this.format, "push before start");
    const packets: OggPacket[] = [];
    let i = 0;
    while (i < pcm.length) {
      const take = Math.min(this.frame.length - this.fill, pcm.length - i);
      this.frame.set(pcm.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.frame.length) packets.push(this.encodeFrame());
    }
    this.inputSamples += pcm.length;
    return packets.length ? this.ogg.write(packets) : EMPTY;
  }

  end(): Uint8Array {
    if (this.state === "ended") throw new EncoderStateError(this.format, "end called twice");
    if (this.state === "new") throw new EncoderStateError(this.format, "end before start");
    this.state = "ended";
    // feed silence until the encoder's lookahead has been flushed past the last real sample
    const packets: OggPacket[] = [];
    while (this.codedSamples < this.inputSamples + this.lookahead || this.fill > 0 || packets.length === 0) {
      this.frame.fill(0, this.fill);
      this.fill = this.frame.length;
      packets.push(this.encodeFrame());
    }
    // end trimming: the last granule counts only real samples (plus pre-skip)
    packets[packets.length - 1]!.granule = BigInt(this.preSkip + this.inputSamples * this.scale);
    const out = this.ogg.write(packets, { eos: true });
    this.enc.drop();
    return out;
  }

  private encodeFrame(): OggPacket {
    const data = this.enc.encode(this.frame);
    this.fill = 0;
    this.codedSamples += this.frame.length;
    return { data, granule: BigInt(this.codedSamples * this.scale) };
  }
}
