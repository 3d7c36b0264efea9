/** The Range rules shared by the gateway and the mirror (RFC 9110 section 14; issue 20, finding 10; issue 21). */
import { describe, expect, test } from "bun:test";
import { decideRange } from "../src/http-range";

const part = (start: number, end: number) => ({ kind: "partial" as const, start, end });
const FULL = { kind: "full" as const };
const NO = { kind: "unsatisfiable" as const };

describe("decideRange", () => {
  test("single byte ranges", () => {
    expect(decideRange(null, null, 100)).toEqual(FULL);
    expect(decideRange("bytes=0-9", null, 100)).toEqual(part(0, 9));
    expect(decideRange("bytes=90-", null, 100)).toEqual(part(90, 99));
    expect(decideRange("bytes=-10", null, 100)).toEqual(part(90, 99));
    expect(decideRange("bytes=-1000", null, 100)).toEqual(part(0, 99));
    expect(decideRange("bytes=50-1000", null, 100)).toEqual(part(50, 99));
    expect(decideRange(" Bytes = 1 - 2 ", null, 100)).toEqual(part(1, 2));
  });
  test("past the end is a 416; an invalid range (last before first) is ignored, not a 416", () => {
    expect(decideRange("bytes=100-", null, 100)).toEqual(NO);
    expect(decideRange("bytes=-0", null, 100)).toEqual(NO);
    expect(decideRange("bytes=5-2", null, 100)).toEqual(FULL);
    expect(decideRange("bytes=9-3", null, 100)).toEqual(FULL);
  });
  test("other units, several ranges, garbage and huge numbers: the whole file", () => {
    for (const r of [
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=x-y",
      "bytes=-",
      "bytes=99999999999999999999-",
      "bytes=0-99999999999999999999",
    ])
      expect(decideRange(r, null, 100)).toEqual(FULL);
  });
  test("If-Range: a stale or weak ETag, or a date that is not Last-Modified, means the whole file", () => {
    const v = { etag: '"abc"', lastModified: "Wed, 21 Oct 2015 07:28:00 GMT" };
    expect(decideRange("bytes=0-3", '"abc"', 100, v)).toEqual(part(0, 3));
    expect(decideRange("bytes=0-3", '"stale"', 100, v)).toEqual(FULL);
    expect(decideRange("bytes=0-3", 'W/"abc"', 100, v)).toEqual(FULL);
    expect(decideRange("bytes=0-3", "Wed, 21 Oct 2015 07:28:00 GMT", 100, v)).toEqual(part(0, 3));
    expect(decideRange("bytes=0-3", "Thu, 22 Oct 2015 07:28:00 GMT", 100, v)).toEqual(FULL);
    expect(decideRange("bytes=0-3", '"abc"', 100, {})).toEqual(FULL);
  });
});
