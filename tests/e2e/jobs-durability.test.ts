/**
 * A job survives a gateway kill and a synth kill mid-render (separate
 * processes, real NATS and Postgres) and completes with the same audio as an
 * uninterrupted run.
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
import { filmSrt } from "../support/subtitles";

const enabled = (await haveNats()) && (await havePostgres());

(enabled ? describe : describe.skip)("durable jobs (gateway and synth killed mid-render)", () => {
  const procs: ServiceProcess[] = [];
  let url = "";
  let gatewayEnv: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), "ke-jobs-"));
  const common = { NATS_URL: TEST_NATS_URL, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "warn" };
  const startGateway = () => {
    const p = spawnService("gateway", "services/gateway/src/main.ts", gatewayEnv);
    procs.push(p);
    return p;
  };
  const ready = () =>
    waitFor(
      "gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      60_000,
      200,
    );

  beforeAll(async () => {
    const [port, g2pPort, s1, s2] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    url = `http://127.0.0.1:${port}`;
    procs.push(
      spawnService("g2p", "services/g2p/src/main.ts", {
        ...common,
        HEALTH_PORT: String(g2pPort),
        KOKORO_CONFIG: kokoroConfig,
        LEXICON_DIR: lexiconDir,
      }),
    );
    for (const [name, hp] of [
      ["synth-1", s1],
      ["synth-2", s2],
    ] as const) {
      procs.push(
        spawnService(name, "services/synth/src/main.ts", {
          ...common,
          INSTANCE_ID: `jobs-${name}`,
          HEALTH_PORT: String(hp),
          KOKORO_MODEL: "fixture",
          SYNTH_FIXTURE_WORK: "4",
          VOICES_DIR: voicesDir,
          DATA_DIR: join(dir, name),
        }),
      );
    }
    gatewayEnv = {
      ...common,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "gateway"),
      JOBS_DIR: join(dir, "jobs"),
      API_KEYS_REQUIRED: "false",
      JOB_LEASE_MS: "1500",
      JOB_POLL_MS: "200",
      STREAM_IDLE_TIMEOUT_MS: "1500",
    };
    startGateway();
    await ready();
  });

  afterAll(async () => stopAll(procs, "SIGKILL"));

  const create = async (doc: string, key: string) => {
    const res = await fetch(`${url}/v1/jobs`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ document: doc, response_format: "wav" }),
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  };
  const job = async (id: string) =>
    (await (await fetch(`${url}/v1/jobs/${id}?cues=false`)).json()) as {
      status: string;
      attempts: number;
      progress: { cues_done: number; cues_total: number };
      audio?: { url: string };
      error?: unknown;
    };
  const finished = (id: string) =>
    waitFor(
      `job ${id} to finish`,
      async () => {
        const j = await job(id).catch(() => undefined);
        if (j?.status === "failed") throw new Error(`job failed: ${JSON.stringify(j.error)}`);
        return j?.status === "succeeded" ? j : undefined;
      },
      180_000,
      200,
    );
  const audio = async (id: string) =>
    new Uint8Array(await (await fetch(`${url}/v1/jobs/${id}/audio`)).arrayBuffer());

  test("same audio as an uninterrupted run", async () => {
    const { srt } = filmSrt(
      100,
      (i) => ["Good evening.", "Where were you?", "I was out, walking.", "Tell me the truth."][i % 4]!,
    );
    const run = `${Date.now()}`;
    const t0 = Date.now();
    const reference = await create(srt, `ref-${run}`);
    await finished(reference);
    console.log(`reference render: ${Date.now() - t0} ms`);
    const expected = await audio(reference);

    const id = await create(srt, `crash-${run}`);
    await waitFor(
      "a quarter of the cues",
      async () => ((await job(id)).progress.cues_done >= 25 ? true : undefined),
      120_000,
      50,
    );
    const gw = procs.find((p) => p.name === "gateway" && p.proc.exitCode === null)!;
    gw.proc.kill("SIGKILL");
    await gw.proc.exited;
    startGateway();
    await ready();
    await waitFor(
      "more progress after the restart",
      async () => ((await job(id)).progress.cues_done >= 55 ? true : undefined),
      120_000,
      50,
    );
    procs.find((p) => p.name === "synth-1")!.proc.kill("SIGKILL");
    const done = await finished(id);
    console.log(`interrupted render: ${Date.now() - t0} ms in all`);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const got = await audio(id);
    expect(got.length).toBe(expected.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(expected))).toBe(0);
  }, 400_000);
});
