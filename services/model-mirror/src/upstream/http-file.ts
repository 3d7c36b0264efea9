/**
 * Opening one file's bytes over HTTP(S) from an offset: the Range request, the
 * header timeout, the redirect to a CDN, and checking that a 206 starts where
 * it was asked to. Shared by the Hugging Face resolve route and plain HTTPS
 * sources of pinned files.
 */
import { errorForStatus, errorForThrown, withIdleTimeout } from "./http-util";
import { UpstreamError, type OpenedFile } from "./types";

export interface HttpFileRequest {
  fetch: typeof fetch;
  url: string;
  /** Names the file in errors and logs. */
  what: string;
  offset: number;
  /** For the response headers, then for each pause between body chunks. */
  timeoutMs: number;
  /** Aborts the wait for headers (shutdown); after that the caller cancels the body. */
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export async function openHttpFile(r: HttpFileRequest): Promise<OpenedFile> {
  const { what, offset } = r;
  const ctl = new AbortController();
  if (r.signal?.aborted) throw new UpstreamError("timeout", `${what}: shutting down`);
  const onAbort = () => ctl.abort(new UpstreamError("timeout", `${what}: shutting down`));
  r.signal?.addEventListener("abort", onAbort, { once: true });
  const headerTimer = setTimeout(
    () => ctl.abort(new UpstreamError("timeout", `${what}: no response in ${r.timeoutMs} ms`)),
    r.timeoutMs,
  );
  let res: Response;
  try {
    res = await r.fetch(r.url, {
      signal: ctl.signal,
      redirect: "follow",
      headers: {
        ...(offset > 0 ? { range: `bytes=${offset}-` } : {}),
        ...r.headers,
        "accept-encoding": "identity",
      },
    });
  } catch (err) {
    throw errorForThrown(ctl.signal.aborted ? ctl.signal.reason : err, what);
  } finally {
    clearTimeout(headerTimer);
    r.signal?.removeEventListener("abort", onAbort);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw errorForStatus(res.status, what, res.headers.get("retry-after"));
  }
  let start = 0;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
    if (!m || Number(m[1]) !== offset) {
      await res.body?.cancel().catch(() => {});
      throw new UpstreamError(
        "http_4xx",
        `${what}: answered a Range request with a wrong Content-Range (${res.headers.get("content-range")})`,
      );
    }
    start = offset;
  }
  if (!res.body) throw new UpstreamError("truncated", `${what}: empty response`);
  return {
    body: withIdleTimeout(res.body, r.timeoutMs, () => ctl.abort(), what),
    offset: start,
    cancel: () => ctl.abort(),
  };
}
