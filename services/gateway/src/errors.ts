import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, toWireError } from "@kokoro-edge/runtime";

/** OpenAI's error `type` for a status. */
export function errorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/** Every error leaves the gateway in OpenAI's JSON shape with a stable code. */
export function errorBody(err: { message: string; code: string; status: number; param?: string }) {
  return {
    error: { message: err.message, type: errorType(err.status), param: err.param ?? null, code: err.code },
  };
}

/**
 * A 500 is our fault, and its message can hold anything (SQL with its
 * parameters, file paths, a library's dump): the client gets a plain sentence
 * and the request id; the details go to the log (see the app's onError).
 */
function safeForClient(wire: ReturnType<typeof toWireError>, requestId: string | undefined) {
  if (wire.status !== 500) return wire;
  return {
    code: "internal_error",
    status: 500,
    message: `internal error${requestId ? ` (request ${requestId})` : ""}; the server's log has the details`,
  };
}

/** Most 503s are a moment's absence (a replica reconnecting, a model loading): say when to try again. */
const UNAVAILABLE_RETRY_AFTER_S = 1;
/** 503s that are how this gateway is set up, which no retry changes: no Retry-After. */
const UNAVAILABLE_BY_SETUP = new Set([
  "no_database",
  "jobs_unavailable",
  "projects_unavailable",
  "studio_unavailable",
  "reader_unavailable", // a language whose reader (espeak-ng) is not installed
]);

export function errorResponse(c: Context, err: unknown, headers: Record<string, string> = {}): Response {
  const wire = safeForClient(toWireError(err), c.get("requestId") as string | undefined);
  if (wire.status === 503 && !UNAVAILABLE_BY_SETUP.has(wire.code) && !("retry-after" in headers))
    headers = { ...headers, "retry-after": String(UNAVAILABLE_RETRY_AFTER_S) };
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(errorBody(wire), wire.status as ContentfulStatusCode);
}

export { AppError };

/** A 429 for a client past a failure budget (wrong keys, wrong admin tokens), with Retry-After. */
export function tooManyFailures(c: Context, code: string, message: string, retryAfterS: number): Response {
  return errorResponse(c, new AppError(429, code, `${message}; retry in ${retryAfterS} s`), {
    "retry-after": String(retryAfterS),
  });
}
