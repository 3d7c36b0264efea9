/**
 * Job progress streams on the separate-process setup (real NATS and
 * Postgres), as a careless or hostile client uses them (issue 20, findings 1
 * and 6): connections dropped during the first read must not crash the
 * gateway; hundreds of unread streams must not multiply the database's load;
 * a key has a cap on open streams; progress still arrives, pushed.
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
import { cancelUnfinishedJobs } from "../support/jobs";
import { countingPgProxy, type CountingPgProxy } from "../support/pg-statements";

const enabled = (await haveNats()) && (await havePostgres());
const MAX_EVENT_STREAMS = 220;

(enabled ? describe : describe.skip)("job event streams under abuse (separate processes, Postgres)", () => {
  const procs: ServiceProcess[] = [];
  let url = "";
  let gateway: ServiceProcess;
  const dir = mkdtempSync(join(tmpdir(), "ke-job-events-"));
  const common = { NATS_URL: TEST_NATS_URL, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "warn" };
  /** The gateway reaches the database through this: it counts the statements the gateway sends. */
  let db: CountingPgProxy;
  const ADMIN = "job-events-admin-token-0123456789";
  let auth: Record<string, string> = {};
  const created: string[] = [];

  beforeAll(async () => {
    await cancelUnfinishedJobs(TEST_DATABASE_URL);
    db = await countingPgProxy(TEST_DATABASE_URL);
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
        SYNTH_FIXTURE_WORK: "16",
        VOICES_DIR: voicesDir,
        DATA_DIR: join(dir, "synth"),
      }),
    );
    gateway = spawnService("gateway", "services/gateway/src/main.ts", {
      ...common,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "gateway"),
      API_KEYS_REQUIRED: "false",
      RATE_LIMIT_RPM: "0",
      MAX_EVENT_STREAMS_PER_KEY: String(MAX_EVENT_STREAMS),
      ADMIN_TOKEN: ADMIN,
      JOB_CUE_CONCURRENCY: "1",
    });
    procs.push(gateway);
    await waitFor(
      "gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      60_000,
      200,
    );
    // A key of this run's own: its jobs and limits are not shared with earlier runs on the same database.
    const key = await fetch(`${url}/admin/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `job-events-${Date.now()}`, max_streams: 8 }),
    });
    expect(key.status).toBe(201);
    auth = { authorization: `Bearer ${(await key.json()).key}` };
  }, 90_000);

  afterAll(async () => {
    // leave no unfinished job behind for the next run's gateways to take up
    for (const id of created)
      await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE", headers: auth }).catch(() => {});
    await stopAll(procs, "SIGKILL");
    await db?.close();
  });

  const createJob = async (body: unknown) => {
    const res = await fetch(`${url}/v1/jobs`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    const id = (await res.json()).id as string;
    created.push(id);
    return id;
  };
  const alive = async () =>
    gateway.proc.exitCode === null && (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;

  test("300 clients that hang up during the first read do not crash the gateway", async () => {
    const id = await createJob({ input: "tiny job" });
    for (let i = 0; i < 300; i++) {
      // hang up after 0-15 ms: before, during and after the stream's first database read
      await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth, signal: AbortSignal.timeout(i % 16) })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
    await Bun.sleep(300);
    expect(await alive()).toBe(true);
    // A stray rejection is logged, not fatal, since the last-resort handler: the log must have none.
    const strays = gateway
      .output()
      .split("\n")
      .filter((l) => l.includes("Controller is already closed") || l.includes("unhandled promise rejection"));
    expect(strays.slice(0, 1)).toEqual([]);
  }, 120_000);

  test("200 unread streams on a running job do not multiply database load; the cap answers 429; progress is pushed", async () => {
    const { srt } = filmSrt(
      1000,
      (i) => `This is line number ${i + 1}, read at an even pace by a patient narrator.`,
    );
    const id = await createJob({ document: srt, response_format: "wav" });
    await waitFor(
      "the job to run",
      async () =>
        (await (await fetch(`${url}/v1/jobs/${id}?cues=false`, { headers: auth })).json()).status ===
        "running"
          ? true
          : undefined,
      60_000,
      100,
    );

    const window = async () => {
      const a = db.statements();
      await Bun.sleep(3_000);
      return db.statements() - a;
    };
    const quiet = await window(); // the render's own progress writes, no stream open

    // Held, never read. (The responses are kept: a response the client drops is cancelled when collected.)
    const streams: AbortController[] = [];
    const held: Response[] = [];
    for (let i = 0; i < 200; i++) {
      const ac = new AbortController();
      const res = await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth, signal: ac.signal });
      expect(res.status).toBe(200);
      streams.push(ac);
      held.push(res);
    }
    await Bun.sleep(500); // the last streams' opening reads (each stream reads the job once as it opens)
    const busy = await window();
    expect((await (await fetch(`${url}/v1/jobs/${id}?cues=false`, { headers: auth })).json()).status).toBe(
      "running",
    ); // the streams were open all along
    console.log(
      `the gateway's database statements in 3 s while a job renders: ${quiet} without streams, ${busy} with 200 unread event streams`,
    );
    // Polling the row every 300 ms per stream was ~2,000 statements in 3 s; pushed progress adds at most
    // the fallback poll (one read of the progress columns per job per 5 s, not per stream).
    expect(busy).toBeLessThan(quiet + 20);

    // the cap: 20 more fit, the next one is refused with a clear 429
    for (let i = 0; i < MAX_EVENT_STREAMS - 200; i++) {
      const ac = new AbortController();
      const res = await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth, signal: ac.signal });
      expect(res.status).toBe(200);
      streams.push(ac);
      held.push(res);
    }
    const refused = await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("too_many_event_streams");
    for (const s of streams) s.abort();
    held.length = 0;
    await Bun.sleep(500);
    // slots come back when clients leave
    const again = new AbortController();
    const reader = (
      await fetch(`${url}/v1/jobs/${id}/events`, { headers: auth, signal: again.signal })
    ).body!.getReader();

    // progress arrives, pushed, then the end
    let text = "";
    const dec = new TextDecoder();
    while ((text.match(/event: job\.progress/g) ?? []).length < 3)
      text += dec.decode((await reader.read()).value);
    const done = [...text.matchAll(/"cues_done":(\d+)/g)].map((m) => Number(m[1]));
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done[done.length - 1]!).toBeGreaterThan(done[0]!);
    await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE", headers: auth });
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      text += dec.decode(value);
    }
    expect(text).toContain("event: job.cancelled");
    expect(await alive()).toBe(true);
  }, 180_000);

  test("an Idempotency-Key reused with a different body is a 409; jobs count against the key's stream cap (8), a replay never does", async () => {
    const { srt } = filmSrt(
      400,
      (i) => `Queued line ${i + 1}, long enough to keep the job busy for a while.`,
    );
    const post = async (body: unknown, key?: string) => {
      const r = await fetch(`${url}/v1/jobs`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
        body: JSON.stringify(body),
      });
      if (r.status === 201) created.push((await r.clone().json()).id);
      return r;
    };
    const run = Date.now().toString(36);
    for (const id of created) await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE", headers: auth }); // the earlier tests' jobs
    const first = await post({ document: srt, response_format: "wav" }, `k-${run}`);
    expect(`${first.status} ${await first.clone().text()}`).toStartWith("201");
    const firstId = (await first.json()).id;
    const reused = await post({ document: srt, response_format: "mp3" }, `k-${run}`);
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.code).toBe("idempotency_key_reused");

    const ids = [firstId];
    for (let i = 1; i < 8; i++) {
      const r = await post({ document: srt, response_format: "wav" });
      expect(r.status).toBe(201);
      ids.push((await r.json()).id);
    }
    const over = await post({ document: srt, response_format: "wav" });
    const overBody = await over.clone().text();
    expect(`${over.status} ${overBody}`).toStartWith("429");
    expect((await over.json()).error.code).toBe("too_many_streams");
    // the same request with its key again is the same job, not a new one: never refused
    const replay = await post({ document: srt, response_format: "wav" }, `k-${run}`);
    expect(replay.status).toBe(200);
    expect((await replay.json()).id).toBe(firstId);
    for (const id of ids) await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE", headers: auth });
    expect((await post({ input: "room again" })).status).toBe(201);
    expect(await alive()).toBe(true);
  }, 120_000);
});
