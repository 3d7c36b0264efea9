/**
 * The one Range parser of the gateway and the mirror (RFC 9110 section 14).
 * Pure. Only a single `bytes` range is served; anything else (other units,
 * several ranges, a malformed or invalid range like `bytes=5-2`) is ignored
 * and the whole representation is sent, as the RFC allows. `If-Range` that
 * does not strongly match the current ETag (or exactly the Last-Modified
 * date) means the client's partial copy is stale: the whole file, 200.
 */
export type RangeDecision =
  { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

export interface RangeValidators {
  /** The representation's strong ETag, quoted (`"abc"`). */
  etag?: string;
  /** Its Last-Modified date, as sent. */
  lastModified?: string;
}

const FULL = { kind: "full" } as const;

export function decideRange(
  range: string | null | undefined,
  ifRange: string | null | undefined,
  size: number,
  v: RangeValidators = {},
): RangeDecision {
  if (!range) return FULL;
  if (ifRange !== null && ifRange !== undefined && !ifRangeHolds(ifRange.trim(), v)) return FULL;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!m) return FULL;
  const [a, b] = [m[1]!, m[2]!];
  if (a === "" && b === "") return FULL;
  if (a === "") {
    const n = Number(b);
    if (!Number.isSafeInteger(n)) return FULL;
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const last = b === "" ? Infinity : Number(b);
  if (!Number.isSafeInteger(start) || (b !== "" && !Number.isSafeInteger(last))) return FULL;
  if (last < start) return FULL; // an invalid range-spec: ignored, not a 416
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(last, size - 1) };
}

function ifRangeHolds(value: string, v: RangeValidators): boolean {
  if (value.startsWith('"') || value.startsWith("W/"))
    return !!v.etag && !value.startsWith("W/") && value === v.etag; // strong comparison only
  return !!v.lastModified && value === v.lastModified;
}
