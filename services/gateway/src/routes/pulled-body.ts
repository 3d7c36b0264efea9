/**
 * The one lifecycle of every streamed response body (encoded audio, SSE): bytes pulled from a source
 * only when the client reads (a slow reader holds the producer back, `highWaterMark: 0`), each hand-off
 * reported (`onBytes`: the first one is time to first audio), and exactly one outcome:
 * - `ok`: the source ended;
 * - `cancelled`: the client left (the body was cancelled, or the source failed because `abort` fired);
 *   `abort` is fired and the source is closed, so the synth stream behind it stops;
 * - `error`: the source failed. With `errorFrame` (SSE) the client gets a last frame saying why and the
 *   body ends cleanly; without it (binary audio) the body breaks off, which a client sees as a cut.
 */
export type BodyOutcome = "ok" | "error" | "cancelled";

export interface BodyHooks {
  /** Called each time bytes are handed to the client. */
  onBytes?: () => void;
  /** Called once, when the body ends, fails, or the client leaves. */
  onDone?: (outcome: BodyOutcome, error?: unknown) => void;
  onError?: (error: unknown) => void;
}

export interface PulledBodyOptions {
  /** Bytes to send before anything is pulled (a container's header); not counted by onBytes. */
  head?: () => Uint8Array | Promise<Uint8Array>;
  /** The last frame sent when the source fails (SSE's error event); absent: the body errors. */
  errorFrame?: (error: unknown) => Uint8Array;
}

export function pulledBody(
  source: AsyncIterator<Uint8Array>,
  abort: AbortController,
  hooks: BodyHooks = {},
  opts: PulledBodyOptions = {},
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
        const head = await opts.head?.();
        if (head?.length) controller.enqueue(head);
      },
      async pull(controller) {
        try {
          while (true) {
            const r = await source.next();
            if (r.done) {
              controller.close();
              return done("ok");
            }
            if (r.value.length) {
              controller.enqueue(r.value);
              hooks.onBytes?.();
              return;
            }
          }
        } catch (err) {
          // The client left while this pull was waiting: that is a cancellation, not a failure.
          if (abort.signal.aborted) return done("cancelled");
          hooks.onError?.(err);
          done("error", err);
          if (opts.errorFrame) {
            controller.enqueue(opts.errorFrame(err));
            controller.close();
          } else controller.error(err);
        }
      },
      async cancel() {
        abort.abort(new Error("client disconnected"));
        await source.return?.(undefined);
        done("cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}
