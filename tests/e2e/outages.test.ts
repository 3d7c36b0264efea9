/**
 * Outages of what the gateway depends on (issue 20, finding 9), on the
 * separate-process setup: while NATS is down, requests that need it get a 503
 * with Retry-After at once (not a 504 after 30 s) and /readyz says the bus is
 * down; while Postgres does not answer, /readyz and key checks answer within
 * seconds. Both recover when the dependency is back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DATABASE_URL, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { natsServerBin } from "@kokoro-edge/runtime/src/testing/nats-server";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const enabled = await havePostgres();

(enabled ? describe : describe.skip)("outages of NATS and Postgres (separate processes)", () => {
  const procs: ServiceProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), "ke-outages-"));
  const ADMIN = "outage-admin-token-0123456789";
  let natsPort = 0;
  let nats: ChildProcess | undefined;
  let proxy: TcpProxy;
  let url = "";
  const startNats = async () => {
    nats = spawn(natsServerBin, ["-a", "127.0.0.1", "-p", String(natsPort)], { stdio: "ignore" });
    await waitFor(
      "nats-server",
      async () =>
        await fetch(`http://127.0.0.1:${natsPort}`).then(
          () => true,
          (e: Error) => (/ECONNREFUSED|Unable to connect/i.test(e.message) ? undefined : true),
        ),
      10_000,
      50,
    );
  };
  const readyz = async () => {
    const t0 = performance.now();
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(20_000) });
    return { ms: performance.now() - t0, status: res.status, body: (await res.json()) as { detail: string } };
  };
  const speak = (key: string) =>
    fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "kokoro",
        input: "Still here.",
        voice: "af_heart",
        response_format: "pcm",
      }),
      signal: AbortSignal.timeout(40_000),
    });
  const newKey = async () => {
    const r = await fetch(`${url}/admin/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `outage-${Date.now()}` }),
    });
    expect(r.status).toBe(201);
    return (await r.json()).key as string;
  };

  beforeAll(async () => {
    natsPort = await freePort();
    await startNats();
    const pg = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(pg.hostname, Number(pg.port || 5432));
    pg.port = String(proxy.port);
    const common = {
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      DATABASE_URL: pg.toString(),
      LOG_LEVEL: "error",
    };
    const [port, g2pPort, synthPort] = await Promise.all([freePort(), freePort(), freePort()]);
    url = `http://127.0.0.1:${port}`;
    procs.push(
      spawnService("g2p", "services/g2p/src/main.ts", {
        ...common,
        HEALTH_PORT: String(g2pPort),
        KOKORO_CONFIG: kokoroConfig,
        LEXICON_DIR: lexiconDir,
      }),
    );
    procs.push(
      spawnService("synth", "services/synth/src/main.ts", {
        ...common,
        HEALTH_PORT: String(synthPort),
        KOKORO_MODEL: "fixture",
        SYNTH_FIXTURE_WORK: "0",
        VOICES_DIR: voicesDir,
        DATA_DIR: join(dir, "synth"),
      }),
    );
    procs.push(
      spawnService("gateway", "services/gateway/src/main.ts", {
        ...common,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: join(dir, "gateway"),
        ADMIN_TOKEN: ADMIN,
        RATE_LIMIT_RPM: "0",
        JOB_CONCURRENCY: "0",
      }),
    );
    await waitFor(
      "gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      60_000,
      200,
    );
  }, 90_000);

  afterAll(async () => {
    await stopAll(procs, "SIGKILL");
    nats?.kill("SIGKILL");
    proxy?.resume();
    await proxy?.close();
  });

  test("NATS down: speech is a 503 with Retry-After at once, /readyz says the bus is down; all is well when it is back", async () => {
    const key = await newKey();
    expect((await speak(key)).status).toBe(200);
    // A client that keeps asking through the outage and the recovery: every answer is speech or a
    // 503 that says when to try again, never a 500 or a hang.
    const seen: string[] = [];
    let asking = true;
    const client = (async () => {
      while (asking) {
        const r = await speak(key).catch((e: Error) => e);
        if (r instanceof Error) seen.push(`failed: ${r.message}`);
        else {
          const body = await r.arrayBuffer().catch(() => undefined);
          seen.push(
            r.status === 200 && body !== undefined
              ? "200"
              : r.status === 503 && Number(r.headers.get("retry-after")) >= 1
                ? "503"
                : `${r.status} retry-after=${r.headers.get("retry-after")}`,
          );
        }
        await Bun.sleep(25);
      }
    })();
    nats!.kill("SIGKILL");
    const down = await waitFor(
      "readyz to say the bus is down",
      async () => {
        const r = await readyz();
        return r.status === 503 && /bus/.test(r.body.detail) ? r : undefined;
      },
      10_000,
      100,
    );
    expect(down.body.detail).toContain("message bus (NATS) is down");
    expect(down.body.detail).not.toContain("no synth replica");
    expect(down.ms).toBeLessThan(1_500);
    const t0 = performance.now();
    const res = await speak(key);
    const ms = performance.now() - t0;
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("bus_unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(1_000);
    console.log(
      `during a NATS outage: speech answered 503 in ${Math.round(ms)} ms, /readyz in ${Math.round(down.ms)} ms`,
    );

    await startNats();
    await waitFor(
      "ready again",
      async () => ((await readyz()).status === 200 ? true : undefined),
      20_000,
      100,
    );
    const again = await speak(key);
    if (again.status !== 200)
      console.error("speech once ready again:", again.status, await again.clone().text());
    expect(again.status).toBe(200);
    asking = false;
    await client;
    const counts = Object.groupBy(seen, (x) => x);
    console.log(
      "a client asking all along got:",
      Object.entries(counts)
        .map(([k, v]) => `${v!.length} × ${k}`)
        .join(", "),
    );
    expect(seen.filter((x) => x !== "200" && x !== "503")).toEqual([]);
    expect(seen).toContain("503");
    expect(seen.at(-1)).toBe("200");
  }, 60_000);

  test("Postgres not answering: /readyz and a key check answer within seconds (503), and recover", async () => {
    const fresh = await newKey(); // never looked up: its check needs the database
    proxy.pause();
    try {
      const r = await readyz();
      expect(r.status).toBe(503);
      expect(r.body.detail).toContain("database unreachable");
      expect(r.ms).toBeLessThan(2_500);
      const t0 = performance.now();
      const res = await speak(fresh);
      const ms = performance.now() - t0;
      expect(res.status).toBe(503);
      const err = (await res.json()).error;
      expect(err.code).toBe("auth_unavailable");
      expect(err.message).not.toMatch(/select|params/i);
      expect(ms).toBeLessThan(3_500);
      console.log(
        `during a Postgres partition: /readyz answered in ${Math.round(r.ms)} ms, a key check in ${Math.round(ms)} ms`,
      );
    } finally {
      proxy.resume();
    }
    await waitFor(
      "ready again",
      async () => ((await readyz()).status === 200 ? true : undefined),
      30_000,
      200,
    );
    expect((await speak(fresh)).status).toBe(200);
  }, 90_000);
});
