/**
 * Two gateway replicas on one Postgres and NATS (issue 21, part 1): a key's
 * request rate and stream cap hold for the fleet, not per replica; a dead
 * replica's stream slots come back when their leases run out; a revoked key
 * stops working on every replica within a second; behind a trusted proxy,
 * clients are told apart by X-Forwarded-For.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  haveNats,
  havePostgres,
} from "@kokoro-edge/runtime/src/testing/services";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";

const enabled = (await haveNats()) && (await havePostgres());
const ADMIN = "fleet-limits-admin-token-012345";
const LEASE_MS = 3_000;

(enabled ? describe : describe.skip)(
  "limits across two gateway replicas (separate processes, Postgres, NATS)",
  () => {
    const procs: ServiceProcess[] = [];
    const urls: string[] = [];
    const gateways: ServiceProcess[] = [];
    let openUrl = "";
    let replicaOneDead = false;
    const dir = mkdtempSync(join(tmpdir(), "ke-fleet-"));
    const common = { NATS_URL: TEST_NATS_URL, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "warn" };

    beforeAll(async () => {
      const [g2pPort, synthPort, p1, p2, p3] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      procs.push(
        spawnService("g2p", "services/g2p/src/main.ts", {
          ...common,
          HEALTH_PORT: String(g2pPort),
          KOKORO_CONFIG: kokoroConfig,
          LEXICON_DIR: lexiconDir,
        }),
      );
      // slow enough (work 40) that a stream is still running when the next request comes
      procs.push(
        spawnService("synth", "services/synth/src/main.ts", {
          ...common,
          HEALTH_PORT: String(synthPort),
          KOKORO_MODEL: "fixture",
          SYNTH_FIXTURE_WORK: "40",
          VOICES_DIR: voicesDir,
          DATA_DIR: join(dir, "synth"),
        }),
      );
      for (const [i, port] of [p1, p2].entries()) {
        const g = spawnService(`gateway-${i + 1}`, "services/gateway/src/main.ts", {
          ...common,
          INSTANCE_ID: `fleet-gw-${i + 1}`,
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: join(dir, `gw-${i + 1}`),
          ADMIN_TOKEN: ADMIN,
          STREAM_SLOT_LEASE_MS: String(LEASE_MS),
          JOB_CONCURRENCY: "0",
        });
        procs.push(g);
        gateways.push(g);
        urls.push(`http://127.0.0.1:${port}`);
      }
      // open mode behind a proxy at 127.0.0.1: clients told apart by X-Forwarded-For
      procs.push(
        spawnService("gateway-open", "services/gateway/src/main.ts", {
          ...common,
          INSTANCE_ID: "fleet-gw-open",
          PORT: String(p3),
          HOST: "127.0.0.1",
          DATA_DIR: join(dir, "gw-open"),
          API_KEYS_REQUIRED: "false",
          RATE_LIMIT_RPM: "5",
          TRUSTED_PROXIES: "127.0.0.1/32, ::1",
          JOB_CONCURRENCY: "0",
        }),
      );
      openUrl = `http://127.0.0.1:${p3}`;
      for (const url of [...urls, openUrl])
        await waitFor(
          "gateway ready",
          async () =>
            (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
          60_000,
          200,
        );
    }, 90_000);

    afterAll(async () => stopAll(procs, "SIGKILL"));

    const newKey = async (limits: { rate_limit_per_minute?: number; max_streams?: number }) => {
      const r = await fetch(`${urls[0]}/admin/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `fleet-${Date.now()}`, ...limits }),
      });
      expect(r.status).toBe(201);
      return (await r.json()) as { id: string; key: string };
    };
    const speech = (url: string, key: string) =>
      fetch(`${url}/v1/audio/speech`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        // long enough that its audio outlasts the test (an unread stream whose audio fits in the socket buffers ends early)
        body: JSON.stringify({
          model: "kokoro",
          input: Array.from(
            { length: 40 },
            (_, i) => `Sentence number ${i + 1} of a stream that takes its time to be spoken.`,
          ).join(" "),
          voice: "af_heart",
          response_format: "pcm",
        }),
      });

    test("a key's request rate holds across the replicas: 10 a minute is 10 in all, not 10 on each", async () => {
      const { key } = await newKey({ rate_limit_per_minute: 10 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push(
          (await fetch(`${urls[i % 2]}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status,
        );
      console.log(
        `20 requests alternating between 2 replicas at 10/min: ${statuses.filter((s) => s === 200).length} allowed, ${statuses.filter((s) => s === 429).length} refused`,
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(10);
      // the readiness report says the limits are shared
      const ready = (await (await fetch(`${urls[1]}/readyz`)).json()) as {
        checks: Record<string, { detail: string }>;
      };
      expect(ready.checks.limits!.detail).toContain("shared");
    });

    test("a key's stream cap holds across the replicas, and a dead replica's slots come back when their leases run out", async () => {
      const { key } = await newKey({ max_streams: 2 });
      const held = [await speech(urls[0]!, key), await speech(urls[0]!, key)]; // two streams, unread, on replica 1
      for (const r of held) expect(r.status).toBe(200);
      const third = await speech(urls[1]!, key);
      expect(third.status).toBe(429);
      expect((await third.json()).error.code).toBe("too_many_streams");

      // replica 1 dies holding both slots
      gateways[0]!.proc.kill("SIGKILL");
      await gateways[0]!.proc.exited;
      replicaOneDead = true;
      const t0 = Date.now();
      const freed = await waitFor(
        "the dead replica's slots to expire",
        async () => {
          const r = await speech(urls[1]!, key);
          if (r.status === 200) return r;
          await r.body?.cancel();
          return undefined;
        },
        LEASE_MS * 4,
        250,
      );
      console.log(
        `a dead replica's stream slots were free again ${Date.now() - t0} ms after it died (lease ${LEASE_MS} ms)`,
      );
      await freed.body?.cancel();
    }, 60_000);

    test("a key revoked on one replica stops working on the other within a second", async () => {
      const live = urls[1]!;
      // restart replica 1 if the previous test killed it
      if (replicaOneDead) {
        const again = spawnService("gateway-1b", "services/gateway/src/main.ts", {
          ...common,
          INSTANCE_ID: "fleet-gw-1b",
          PORT: new URL(urls[0]!).port,
          HOST: "127.0.0.1",
          DATA_DIR: join(dir, "gw-1b"),
          ADMIN_TOKEN: ADMIN,
          STREAM_SLOT_LEASE_MS: String(LEASE_MS),
          JOB_CONCURRENCY: "0",
        });
        procs.push(again);
        await waitFor(
          "replica 1 back",
          async () =>
            (await fetch(`${urls[0]}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
          60_000,
          200,
        );
      }
      const { id, key } = await newKey({});
      const models = () => fetch(`${live}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      expect((await models()).status).toBe(200); // now in replica 2's cache
      const revoked = await fetch(`${urls[0]}/admin/keys/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(revoked.status).toBe(200);
      const t0 = performance.now();
      await waitFor(
        "replica 2 to refuse the revoked key",
        async () => ((await models()).status === 401 ? true : undefined),
        5_000,
        20,
      );
      const ms = performance.now() - t0;
      console.log(`a key revoked on replica 1 was refused by replica 2 after ${Math.round(ms)} ms`);
      expect(ms).toBeLessThan(1_000);
    }, 90_000);

    test("behind a trusted proxy, open-mode clients are limited by their own address (X-Forwarded-For), not the proxy's", async () => {
      const get = (client: string) =>
        fetch(`${openUrl}/v1/models`, { headers: { "x-forwarded-for": `${client}, 127.0.0.1` } });
      // addresses of this run's own (the buckets live in the shared database)
      const net = `198.18.${Math.floor(Math.random() * 256)}`;
      const a: number[] = [];
      for (let i = 0; i < 7; i++) a.push((await get(`${net}.1`)).status);
      expect(a.filter((s) => s === 200)).toHaveLength(5);
      expect(a.slice(5)).toEqual([429, 429]);
      expect((await get(`${net}.2`)).status).toBe(200); // another client behind the same proxy
    });
  },
);
