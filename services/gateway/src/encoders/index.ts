import { AppError } from "@kokoro-edge/runtime";
import { FlacStreamEncoder } from "./flac";
import { Mp3StreamEncoder } from "./mp3";
import { OpusStreamEncoder } from "./opus";
import { PcmEncoder } from "./pcm";
import { AUDIO_FORMATS, type AudioFormat, type EncoderOptions, type StreamEncoder } from "./types";
import { WavEncoder } from "./wav";

export type { AudioFormat, EncoderOptions, StreamEncoder } from "./types";
export { AUDIO_FORMATS } from "./types";
export { wavHeader, WAV_UNKNOWN_SIZE } from "./wav";

const FACTORIES: Partial<
  Record<AudioFormat, (opts: EncoderOptions) => StreamEncoder | Promise<StreamEncoder>>
> = {
  mp3: (o) => Mp3StreamEncoder.create(o),
  opus: (o) => new OpusStreamEncoder(o),
  flac: (o) => new FlacStreamEncoder(o),
  wav: (o) => new WavEncoder(o),
  pcm: () => new PcmEncoder(),
};

/** MIME types of the formats, also for those this server cannot encode. */
export const CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg; codecs=opus",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/pcm",
};

/** The formats createEncoder can produce, in the API's order. */
export function supportedFormats(): AudioFormat[] {
  return AUDIO_FORMATS.filter((f) => FACTORIES[f] !== undefined);
}

export function isSupportedFormat(f: unknown): f is AudioFormat {
  return typeof f === "string" && Object.hasOwn(FACTORIES, f);
}

/** 400 for a response_format this server cannot encode (aac, or a name it does not know). */
export class UnsupportedFormatError extends AppError {
  constructor(readonly requested: string) {
    const known = (AUDIO_FORMATS as readonly string[]).includes(requested);
    const why = known
      ? `response_format "${requested}" cannot be encoded by this server (no ${requested} encoder is available)`
      : `response_format "${requested}" is not a known audio format`;
    super(
      400,
      "unsupported_response_format",
      `${why}; use one of: ${supportedFormats().join(", ")}`,
      "response_format",
    );
    this.name = "UnsupportedFormatError";
  }
}

/**
 * One encoder for one response stream. Throws UnsupportedFormatError (a 400
 * AppError, code `unsupported_response_format`) for formats that cannot be made.
 */
export async function createEncoder(
  format: AudioFormat | string,
  opts: EncoderOptions = { sampleRate: 24000 },
): Promise<StreamEncoder> {
  return makerOf(format)(opts);
}

/** Throws UnsupportedFormatError now for a format createEncoder could not make (a 400 before any work). */
export function checkFormat(format: AudioFormat | string): void {
  makerOf(format);
}

function makerOf(format: AudioFormat | string) {
  const make = isSupportedFormat(format) ? FACTORIES[format] : undefined;
  if (!make) throw new UnsupportedFormatError(String(format));
  return make;
}
