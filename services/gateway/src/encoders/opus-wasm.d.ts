// The WebAssembly build of libopus shipped in @evan/opus (no native addon).
declare module "@evan/opus/wasm/index.mjs" {
  export class Encoder {
    constructor(options: {
      channels?: 1 | 2;
      sample_rate?: 8000 | 12000 | 16000 | 24000 | 48000;
      application?: "voip" | "audio" | "restricted_lowdelay";
    });
    channels: 1 | 2;
    /** get (no value) or set an encoder CTL; throws on a libopus error */
    ctl(cmd: number, value?: number): number;
    /** encode exactly one frame of s16 PCM (bytes); returns the packet (a copy) */
    encode(pcm: ArrayBufferView): Uint8Array;
    /** free the native state now (otherwise a FinalizationRegistry does) */
    drop(): void;
  }
  export class Decoder {
    constructor(options: { channels?: 1 | 2; sample_rate?: 8000 | 12000 | 16000 | 24000 | 48000 });
    decode(packet: ArrayBufferView): Uint8Array;
    drop(): void;
  }
}
