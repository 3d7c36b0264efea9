/**
 * The model mirror's HTTP paths as a careless or hostile client uses them, on
 * the separate-process setup (issue 20, finding 10): glob characters in a
 * resolve path are part of the name (not a pattern), If-Range with a stale
 * ETag is the whole file, and an invalid range is ignored.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { haveNats, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { waitFor } from "../support/ports";
import { startSeparateStack, type SeparateStack } from "../support/separate-stack";

const enabled = (await haveNats()) && (await havePostgres());

(enabled ? describe : describe.skip)("mirror paths and ranges (separate processes, Postgres)", () => {
  let s: SeparateStack;
  beforeAll(async () => {
    s = await startSeparateStack("mirror-paths", { RATE_LIMIT_RPM: "0" });
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
  });

  test("mirror: glob characters in a resolve path are taken literally (a 404, never a 500 or the first match)", async () => {
    const get = (p: string, method = "GET") => fetch(`${s.mirrorUrl}/org/repo/resolve/main/${p}`, { method });
    await waitFor(
      "the mirror to have org/repo",
      async () => ((await get("a.txt")).status === 200 ? true : undefined),
      30_000,
      200,
    );
    for (const p of ["nothing*", "[a-z]*", "a.tx?", "*", "%2A.txt"]) {
      for (const method of ["GET", "HEAD"]) {
        const res = await get(p, method);
        expect(`${method} ${p} ${res.status}`).toBe(`${method} ${p} 404`);
      }
    }
  }, 60_000);

  test("mirror: If-Range with a stale ETag is the whole file (200); bytes=5-2 is ignored (200), not a 416", async () => {
    const url = `${s.mirrorUrl}/org/repo/resolve/main/a.txt`;
    await waitFor(
      "the mirror to have org/repo",
      async () => ((await fetch(url)).status === 200 ? true : undefined),
      30_000,
      200,
    );
    const etag = (await fetch(url)).headers.get("etag")!;
    const fresh = await fetch(url, { headers: { range: "bytes=0-3", "if-range": etag } });
    expect(fresh.status).toBe(206);
    expect(await fresh.text()).toBe("0123");
    const stale = await fetch(url, { headers: { range: "bytes=0-3", "if-range": '"stale"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe("0123456789abcdef");
    const invalid = await fetch(url, { headers: { range: "bytes=5-2" } });
    expect(invalid.status).toBe(200);
    expect(await invalid.text()).toBe("0123456789abcdef");
  }, 60_000);
});
