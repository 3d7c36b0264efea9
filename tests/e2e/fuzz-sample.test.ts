/**
 * A small sample of the fuzz run (load-tests/fuzz.ts) on every CI run, on the
 * separate-process setup with real NATS and Postgres: 600 hostile and careless
 * requests over every route must give no 5xx and leave the gateway running.
 * The full run (10,000 requests) is `bun load-tests/fuzz.ts`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { haveNats, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { runFuzz } from "../../load-tests/fuzz";
import { waitFor } from "../support/ports";
import { startSeparateStack, type SeparateStack } from "../support/separate-stack";

const enabled = (await haveNats()) && (await havePostgres());

(enabled ? describe : describe.skip)("fuzz sample (separate processes, Postgres)", () => {
  let s: SeparateStack;
  beforeAll(async () => {
    s = await startSeparateStack("fuzz-sample", { RATE_LIMIT_RPM: "0", MAX_STREAMS_PER_KEY: "64" });
    await waitFor(
      "the mirror to have its repo",
      async () =>
        (await fetch(`${s.mirrorUrl}/org/repo/resolve/main/a.txt`)).status === 200 ? true : undefined,
      30_000,
      200,
    );
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
  });

  test("600 requests over every route: no 5xx, and the gateway never exits", async () => {
    let exited: number | null = null;
    void s.gateway.proc.exited.then((code) => (exited = code));
    // A new seed each run covers new ground; a failure prints it so the run can be repeated.
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 1e6));
    const report = await runFuzz(
      { gatewayUrl: s.url, mirrorUrl: s.mirrorUrl, key: s.key, adminToken: s.adminToken },
      { requests: 600, concurrency: 6, seed },
    );
    if (report.byClass["5xx"] > 0)
      throw new Error(
        `seed ${seed}: ${report.byClass["5xx"]} 5xx:\n${JSON.stringify(report.serverErrors, null, 1)}\n--- gateway\n${s.gateway.output().slice(-4000)}`,
      );
    expect(report.byClass["4xx"] + report.byClass["2xx"]).toBeGreaterThan(400);
    expect(exited).toBeNull();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
