/**
 * Server-sent events, written one way for every route (speech, subtitles, job events): one frame
 * per event (`event:` when named, one `data:` line of JSON), the headers that keep proxies from
 * buffering, and a body with pulled-body.ts's lifecycle whose failure is a last `error` event.
 */
import { toWireError } from "@kokoro-edge/runtime";
import { errorBody } from "../errors";
import { pulledBody, type BodyHooks } from "./pulled-body";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
} as const;

const enc = new TextEncoder();

/** One event: JSON data (one line: JSON.stringify never emits a newline), named if `event` is given. */
export function sseFrame(data: unknown, event?: string): Uint8Array {
  return enc.encode(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
}

/** A comment line: keeps an idle connection open through proxies. */
export const SSE_KEEPALIVE = enc.encode(": keep-alive\n\n");

/** The error event a failed stream ends with (the same body as an HTTP error's). */
export const sseError = (err: unknown) => sseFrame({ type: "error", ...errorBody(toWireError(err)) });

/** An SSE body from a source of events (each one JSON data), pulled as the client reads. */
export function sseBody(
  events: AsyncIterator<unknown>,
  abort: AbortController,
  hooks: BodyHooks = {},
): ReadableStream<Uint8Array> {
  return pulledBody(frames(events), abort, hooks, { errorFrame: sseError });
}

async function* frames(events: AsyncIterator<unknown>): AsyncGenerator<Uint8Array> {
  try {
    while (true) {
      const r = await events.next();
      if (r.done) return;
      yield sseFrame(r.value);
    }
  } finally {
    await events.return?.(undefined);
  }
}
