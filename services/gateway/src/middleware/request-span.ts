/**
 * The first middleware of every request: its id (`x-request-id`, taken from the client or made), the
 * client's address (believed from X-Forwarded-For only behind TRUSTED_PROXIES), and one server span
 * that continues an incoming traceparent (the runtime's server is not auto-instrumented). A streamed
 * body is the request's work: its span lasts until the body has been sent or the client left.
 */
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { context, SpanStatusCode } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";
import { SpanKind, contextFromHeaders, endSpanWithBody, tracer } from "@kokoro-edge/runtime";
import { clientAddressFrom, type Cidr } from "../auth/client-address";
import { peerAddress } from "../auth/peer";
import type { GatewayMetrics } from "../metrics";

/** What this middleware sets on the context. */
export type RequestVariables = { requestId: string; clientAddress: string };

/** The client's address, as this middleware found it (behind TRUSTED_PROXIES, from X-Forwarded-For). */
export function clientAddress<E extends { Variables: RequestVariables }>(c: Context<E>): string {
  return (c.get("clientAddress") as string | undefined) ?? peerAddress(c);
}

export function requestSpan(
  metrics: Pick<GatewayMetrics, "countRequest">,
  trustedProxies: Cidr[],
): MiddlewareHandler<{ Variables: RequestVariables }> {
  const httpTracer = tracer("gateway");
  return async (c, next) => {
    const id = c.req.header("x-request-id")?.slice(0, 128) || crypto.randomUUID();
    c.set("requestId", id);
    c.set(
      "clientAddress",
      clientAddressFrom(peerAddress(c), c.req.header("x-forwarded-for"), trustedProxies),
    );
    c.header("x-request-id", id);
    const parent = contextFromHeaders(Object.fromEntries(c.req.raw.headers));
    await context.with(parent, () =>
      httpTracer.startActiveSpan(
        `${c.req.method} ${c.req.path}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: c.req.method,
            [ATTR_URL_PATH]: c.req.path,
            "kokoro.request_id": id,
          },
        },
        async (span) => {
          try {
            await next();
          } finally {
            const route = routePath(c) || "unmatched";
            span.updateName(`${c.req.method} ${route}`);
            span.setAttribute(ATTR_HTTP_ROUTE, route);
            span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, c.res.status);
            if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            // A streamed body (speech, subtitles, SSE) is the request's work: the span lasts
            // until it has been sent or the client went away, and says which.
            const streaming = !!c.res.body && !c.res.headers.has("content-length");
            if (streaming) c.res = endSpanWithBody(c.res, span);
            else span.end();
            metrics.countRequest(route, c.req.method, c.res.status);
          }
        },
      ),
    );
  };
}
