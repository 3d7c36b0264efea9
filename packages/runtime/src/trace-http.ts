/**
 * Spans for HTTP that last as long as the work: a streaming response's span
 * ends when its body has been sent (or the client went away), not when the
 * handler returned the Response; an outgoing fetch's span ends when its body
 * has been read. Attribute names come from @opentelemetry/semantic-conventions.
 */
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from "@opentelemetry/semantic-conventions";

/** How a response body ended, recorded on its span. */
export type BodyOutcome = "complete" | "cancelled" | "error";
export const ATTR_BODY_OUTCOME = "kokoro.body.outcome";
export const ATTR_BODY_BYTES = "kokoro.body.bytes";

/**
 * The same body, with `onEnd` called once when it has been read to the end,
 * cancelled by its reader, or failed. Pull-based with no buffer of its own, so
 * the source's backpressure (credit-based flow control) is unchanged.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  onEnd: (outcome: BodyOutcome, bytes: number, err?: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let ended = false;
  const end = (outcome: BodyOutcome, err?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(outcome, bytes, err);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            end("complete");
            ctl.close();
            return;
          }
          bytes += value.byteLength;
          ctl.enqueue(value);
        } catch (err) {
          end("error", err);
          ctl.error(err);
        }
      },
      async cancel(reason) {
        end("cancelled");
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/** End `span` when the body ends, with the outcome and bytes; a body-less response ends it now. */
export function endSpanWithBody(res: Response, span: Span): Response {
  if (!res.body) {
    span.end();
    return res;
  }
  const body = watchBody(res.body, (outcome, bytes, err) => {
    span.setAttribute(ATTR_BODY_OUTCOME, outcome);
    span.setAttribute(ATTR_BODY_BYTES, bytes);
    if (outcome === "error") {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
    }
    span.end();
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * A fetch whose every call is a CLIENT span (carrying the trace to the server
 * in `traceparent`) that ends when the response body has been read.
 */
export function tracedFetch(t: Tracer, base: typeof fetch = fetch): typeof fetch {
  const f = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const span = t.startSpan(`${method}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_FULL]: `${url.origin}${url.pathname}`,
        [ATTR_SERVER_ADDRESS]: url.hostname,
        ...(url.port ? { [ATTR_SERVER_PORT]: Number(url.port) } : {}),
      },
    });
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    propagation.inject(trace.setSpan(context.active(), span), headers, { set: (h, k, v) => h.set(k, v) });
    let res: Response;
    try {
      res = await base(input, { ...init, headers });
    } catch (err) {
      span.recordException(err as Error);
      span.setAttribute(ATTR_ERROR_TYPE, (err as Error)?.name ?? "Error");
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      span.end();
      throw err;
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.status);
    if (res.status >= 400) {
      span.setAttribute(ATTR_ERROR_TYPE, String(res.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    // The returned Response keeps the original's url and redirected flags for callers that read them.
    if (!res.body) {
      span.end();
      return res;
    }
    const wrapped = endSpanWithBody(res, span);
    Object.defineProperty(wrapped, "url", { value: res.url });
    Object.defineProperty(wrapped, "redirected", { value: res.redirected });
    return wrapped;
  };
  return f as typeof fetch;
}
