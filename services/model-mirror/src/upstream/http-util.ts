/** Turning fetch outcomes into UpstreamErrors, and timeouts on slow bodies. */
import { UpstreamError } from "./types";

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export function errorForStatus(status: number, what: string, retryAfter: string | null): UpstreamError {
  if (status === 429)
    return new UpstreamError("rate_limited", `${what}: HTTP 429 (rate limited)`, {
      status,
      retryAfterMs: parseRetryAfter(retryAfter),
    });
  if (status === 503 && retryAfter)
    return new UpstreamError("http_5xx", `${what}: HTTP 503`, {
      status,
      retryAfterMs: parseRetryAfter(retryAfter),
    });
  if (status >= 500) return new UpstreamError("http_5xx", `${what}: HTTP ${status}`, { status });
  if (status === 404) return new UpstreamError("not_found", `${what}: not found (HTTP 404)`, { status });
  if (status === 401 || status === 403)
    return new UpstreamError(
      "http_4xx",
      `${what}: access denied (HTTP ${status}; private or gated repo? set HF_TOKEN)`,
      { status },
    );
  return new UpstreamError("http_4xx", `${what}: HTTP ${status}`, { status });
}

export function errorForThrown(err: unknown, what: string): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const e = err as { name?: string; code?: string; message?: string; statusCode?: number };
  if (typeof e?.statusCode === "number") return errorForStatus(e.statusCode, what, null);
  if (e?.name === "TimeoutError" || e?.code === "ETIMEDOUT")
    return new UpstreamError("timeout", `${what}: timed out`, { cause: err });
  if (e?.name === "AbortError")
    return new UpstreamError("timeout", `${what}: aborted (timed out)`, { cause: err });
  return new UpstreamError(
    "unreachable",
    `${what}: ${e?.message ?? String(err)}${e?.code ? ` (${e.code})` : ""}`,
    { cause: err },
  );
}

/**
 * Wrap a body so that a pause longer than `idleMs` between chunks fails it
 * with a timeout, and the underlying transfer is aborted.
 */
export function withIdleTimeout(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  abort: () => void,
  what: string,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort();
          reject(new UpstreamError("timeout", `${what}: no data for ${idleMs} ms`));
        }, idleMs);
      });
      try {
        const r = await Promise.race([reader.read(), timeout]);
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (err) {
        // A body that breaks off after the headers is a truncated transfer.
        const e = errorForThrown(err, what);
        controller.error(
          e.kind === "unreachable"
            ? new UpstreamError("truncated", `${what}: connection lost mid-body (${e.message})`, {
                cause: err,
              })
            : e,
        );
        reader.cancel().catch(() => {});
      } finally {
        clearTimeout(timer);
      }
    },
    cancel() {
      abort();
      return reader.cancel().catch(() => {});
    },
  });
}
