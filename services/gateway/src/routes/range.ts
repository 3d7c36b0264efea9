import { decideRange, openFile } from "@kokoro-edge/runtime";

/**
 * Serve a file with Range support (206, 416), as players and download managers
 * expect; the Range rules are the runtime's, shared with the mirror.
 */
export async function fileResponse(
  path: string,
  contentType: string,
  rangeHeader: string | undefined,
  extra: Record<string, string> = {},
  ifRange?: string,
): Promise<Response> {
  const file = await openFile(path);
  const size = file.size;
  const base = { "content-type": contentType, "accept-ranges": "bytes", ...extra };
  // If-Range is checked against the ETag the caller sends (extra.etag); without one, any If-Range means the whole file.
  const d = decideRange(rangeHeader, ifRange, size, { etag: extra.etag });
  if (d.kind === "unsatisfiable") return rangeError(size, base);
  if (d.kind === "full")
    return new Response(file.body(), { headers: { ...base, "content-length": String(size) } });
  return new Response(file.body(d.start, d.end + 1), {
    status: 206,
    headers: {
      ...base,
      "content-range": `bytes ${d.start}-${d.end}/${size}`,
      "content-length": String(d.end - d.start + 1),
    },
  });
}
function rangeError(size: number, base: Record<string, string>) {
  return new Response(
    JSON.stringify({
      error: {
        message: `range not satisfiable (size ${size})`,
        type: "invalid_request_error",
        param: "Range",
        code: "range_not_satisfiable",
      },
    }),
    {
      status: 416,
      headers: { ...base, "content-type": "application/json", "content-range": `bytes */${size}` },
    },
  );
}
