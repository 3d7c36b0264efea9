import { SAMPLE_RATE } from "@kokoro-edge/proto";
import { CONTENT_TYPES, createEncoder } from "../encoders";
import type { AudioFormat, StreamEncoder } from "../encoders/types";
import type { EncoderPool, PooledEncoder } from "../encoders/pool";
import { pulledBody, type BodyHooks } from "./pulled-body";

export type { BodyHooks, BodyOutcome } from "./pulled-body";

/** An encoder on this thread, or one on the encoder pool's threads (its calls awaited). */
export type BodyEncoder = StreamEncoder | PooledEncoder;

/**
 * A response body: PCM in, one container out (a single header, then encoded audio as it arrives, then
 * the trailer), with pulled-body.ts's lifecycle.
 */
export function encodedAudioBody(
  pcm: AsyncIterator<Int16Array>,
  encoder: BodyEncoder,
  abort: AbortController,
  hooks: BodyHooks = {},
): ReadableStream<Uint8Array> {
  return pulledBody(encodedAudio(pcm, encoder), abort, hooks, { head: () => encoder.start() });
}

/** The encoder's output after its header; a pooled encoder is released however the body ends. */
async function* encodedAudio(
  pcm: AsyncIterator<Int16Array>,
  encoder: BodyEncoder,
): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    while (true) {
      const r = await pcm.next();
      if (r.done) break;
      yield await encoder.push(r.value);
    }
    const tail = await encoder.end();
    ended = true;
    yield tail;
  } finally {
    if (!ended) encoder.close?.();
    await pcm.return?.(undefined);
  }
}

/**
 * A source whose first result was already taken (to fail with a 4xx before any byte was sent), whole
 * again: the first value, the rest, and the rest's return value.
 */
export async function* prepend<T, R>(
  first: IteratorResult<T, R>,
  rest: AsyncIterator<T, R>,
): AsyncGenerator<T, R> {
  if (first.done) return first.value;
  let ended = false;
  try {
    yield first.value;
    while (true) {
      const r = await rest.next();
      if (r.done) {
        ended = true;
        return r.value;
      }
      yield r.value;
    }
  } finally {
    // closed early (the client left): close the rest too
    if (!ended) await rest.return?.(undefined as R);
  }
}

/** Lossy formats go to the encoder pool's threads when the gateway has one; WAV and PCM cost nothing to encode. */
const POOLED = new Set(["mp3", "opus", "flac"]);
export async function bodyEncoder(
  deps: { encoderPool?: EncoderPool },
  format: AudioFormat,
  sampleRate = SAMPLE_RATE,
): Promise<BodyEncoder> {
  return deps.encoderPool && POOLED.has(format)
    ? deps.encoderPool.open(format, CONTENT_TYPES[format], { sampleRate })
    : createEncoder(format, { sampleRate });
}
