import { openFile } from "@kokoro-edge/runtime";

/** Serve a file with Range support (206, 416), as players and download managers expect. */
export async function fileResponse(path: string, contentType: string, rangeHeader: string | undefined, extra: Record<string, string> = {}): Promise<Response> {
  const file = await openFile(path);
  const size = file.size;
  const base = { "content-type": contentType, "accept-ranges": "bytes", ...extra };
  if (!rangeHeader) return new Response(file.body(), { headers: { ...base, "content-length": String(size) } });
  const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
  let start: number;
  let end: number;
  if (!m || (m[1] === "" && m[2] === "")) return rangeError(size, base);
  if (m[1] === "") {
    const n = Number(m[2]);
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return rangeError(size, base);
  return new Response(file.body(start, end + 1), {
    status: 206,
    headers: { ...base, "content-range": `bytes ${start}-${end}/${size}`, "content-length": String(end - start + 1) },
  });
}

function rangeError(size: number, base: Record<string, string>) {
  return new Response(JSON.stringify({ error: { message: `range not satisfiable (size ${size})`, type: "invalid_request_error", param: "Range", code: "range_not_satisfiable" } }), {
    status: 416,
    headers: { ...base, "content-type": "application/json", "content-range": `bytes */${size}` },
  });
}
