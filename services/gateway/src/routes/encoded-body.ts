import type { StreamEncoder } from "../encoders/types";
import type { EncoderPool, PooledEncoder } from "../encoders/pool";

/** An encoder on this thread, or one on the encoder pool's threads (its calls awaited). */
export type BodyEncoder = StreamEncoder | PooledEncoder;

export type BodyOutcome = "ok" | "error" | "cancelled";

export interface BodyHooks {
  /** Called each time encoded bytes are handed to the client (the first call is time to first audio). */
  onBytes?: () => void;
  /** Called once, when the body ends, fails, or the client leaves. */
  onDone?: (outcome: BodyOutcome, error?: unknown) => void;
  onError?: (error: unknown) => void;
}

/**
 * A response body: PCM in, one container out (a single header, then encoded
 * audio as it arrives, then the trailer). Pulled by the client, so a slow
 * reader holds back the producer; a client that leaves aborts `abort` and
 * closes the source.
 */
export function encodedAudioBody(
  pcm: AsyncIterator<Int16Array>,
  encoder: BodyEncoder,
  abort: AbortController,
  hooks: BodyHooks = {},
): ReadableStream<Uint8Array> {
  let finished = false;
  const done = (o: BodyOutcome, e?: unknown) => {
    if (finished) return;
    finished = true;
    hooks.onDone?.(o, e);
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const head = await encoder.start();
        if (head.length) controller.enqueue(head);
      },
      async pull(controller) {
        try {
          while (true) {
            const r = await pcm.next();
            if (r.done) {
              const tail = await encoder.end();
              if (tail.length) controller.enqueue(tail);
              hooks.onBytes?.();
              controller.close();
              return done("ok");
            }
            const bytes = await encoder.push(r.value);
            if (bytes.length) {
              hooks.onBytes?.();
              controller.enqueue(bytes);
              return;
            }
          }
        } catch (err) {
          // The client left while this pull was waiting: that is a cancellation, not a failure.
          if (abort.signal.aborted) {
            if ("close" in encoder) encoder.close();
            return done("cancelled");
          }
          hooks.onError?.(err);
          done("error", err);
          controller.error(err);
        }
      },
      async cancel() {
        abort.abort(new Error("client disconnected"));
        if ("close" in encoder) encoder.close();
        await pcm.return?.(undefined);
        done("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}

/** A source whose first result was already taken (to fail with a 4xx before any byte was sent). */
export async function* prepend<T>(
  first: IteratorResult<T, unknown>,
  rest: AsyncIterator<T, unknown>,
): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  while (true) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Lossy formats go to the encoder pool's threads when the gateway has one; WAV and PCM cost nothing to encode. */
const POOLED = new Set(["mp3", "opus", "flac"]);
export function bodyEncoder(
  deps: { encoderPool?: EncoderPool },
  encoder: StreamEncoder,
  sampleRate = 24_000,
): BodyEncoder {
  return deps.encoderPool && POOLED.has(encoder.format)
    ? deps.encoderPool.open(encoder.format, encoder.contentType, { sampleRate })
    : encoder;
}
