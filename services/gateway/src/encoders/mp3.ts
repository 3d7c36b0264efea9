import { lamePool, type LameEncoder } from "./lame-pool";
import { type EncoderOptions, type StreamEncoder, EMPTY, EncoderStateError } from "./types";

/** Rates LAME encodes: MPEG-2.5, MPEG-2 (24 kHz is native MPEG-2 layer III) and MPEG-1. */
export const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
/** Bitrates (kbps) valid for MPEG-2/2.5 layer III; MPEG-1 has its own set. */
const MPEG2_KBPS = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG1_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
/** What the WebAssembly LAME takes as a constant bitrate (56 and 144 kbps are not offered). */
const WASM_KBPS = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;
type WasmKbps = (typeof WASM_KBPS)[number];
export const MP3_DEFAULT_BITRATE = 64_000;

/** The sample rate and bitrate, checked (a RangeError names what is allowed). */
function checkOptions(opts: EncoderOptions): WasmKbps {
  if (!(MP3_RATES as readonly number[]).includes(opts.sampleRate)) {
    throw new RangeError(`mp3: sample rate ${opts.sampleRate} not one of ${MP3_RATES.join(", ")}`);
  }
  const kbps = Math.round((opts.bitrate ?? MP3_DEFAULT_BITRATE) / 1000);
  const valid = (opts.sampleRate >= 32000 ? MPEG1_KBPS : MPEG2_KBPS).filter((k) =>
    (WASM_KBPS as readonly number[]).includes(k),
  );
  if (!valid.includes(kbps))
    throw new RangeError(`mp3: bitrate ${kbps} kbps not one of ${valid.join(", ")} at ${opts.sampleRate} Hz`);
  return kbps as WasmKbps;
}

/**
 * MP3 (CBR, mono) from one LAME encoder: a continuous sequence of frames with
 * no ID3 tag and no Xing/Info frame, so a stream can be cut or concatenated
 * at any frame and players see one file. `restart()` begins a new stream on
 * the same encoder (the realtime sockets' turns).
 */
export class Mp3StreamEncoder implements StreamEncoder {
  readonly format = "mp3" as const;
  readonly contentType = "audio/mpeg";
  private ended = false;
  private scratch = new Float32Array(0);

  private constructor(
    private readonly enc: LameEncoder,
    private readonly opts: EncoderOptions,
    private readonly kbps: WasmKbps,
  ) {
    this.restart();
  }

  static async create(opts: EncoderOptions): Promise<Mp3StreamEncoder> {
    const kbps = checkOptions(opts);
    return new Mp3StreamEncoder(await lamePool.acquire(), opts, kbps);
  }

  /** Forget the stream so far (its buffered samples too); the next push starts a new one. */
  restart(): void {
    this.enc.configure({ channels: 1, sampleRate: this.opts.sampleRate, bitrate: this.kbps });
    this.ended = false;
  }

  start(): Uint8Array {
    return EMPTY;
  }

  push(pcm: Int16Array): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "push after end");
    if (!pcm.length) return EMPTY;
    if (this.scratch.length < pcm.length) this.scratch = new Float32Array(pcm.length);
    const f = this.scratch.subarray(0, pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    return this.enc.encode([f]).slice(); // a view of the encoder's memory: copied before the next call
  }

  /** The last frames; the encoder goes back to the pool for another stream. */
  end(): Uint8Array {
    const last = this.flush();
    lamePool.release(this.enc);
    return last;
  }

  /** The last frames of this stream, keeping the encoder for the next one (call restart() before it). */
  flush(): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "end called twice");
    this.ended = true;
    return this.enc.finalize().slice();
  }

  /** A cancelled stream: the encoder goes back to the pool as it is (configure() starts it afresh). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    lamePool.release(this.enc);
  }
}
