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
import postgres from "postgres";
import { TEST_DATABASE_URL, TEST_NATS_URL, haveNats, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";
import { filmSrt } from "../support/subtitles";

const enabled = (await haveNats()) && (await havePostgres());
const MAX_EVENT_STREAMS = 220;

(enabled ? describe : describe.skip)("job event streams under abuse (separate processes, Postgres)", () => {
  const procs: ServiceProcess[] = [];
  let url = "";
  let gateway: ServiceProcess;
  const dir = mkdtempSync(join(tmpdir(), "ke-job-events-"));
  const common = { NATS_URL: TEST_NATS_URL, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "warn" };
  const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });

  beforeAll(async () => {
    const [port, g2pPort, synthPort] = await Promise.all([freePort(), freePort(), freePort()]);
    url = `http://127.0.0.1:${port}`;
    procs.push(spawnService("g2p", "services/g2p/src/main.ts", { ...common, HEALTH_PORT: String(g2pPort), KOKORO_CONFIG: kokoroConfig, LEXICON_DIR: lexiconDir }));
    procs.push(spawnService("synth", "services/synth/src/main.ts", { ...common, HEALTH_PORT: String(synthPort), KOKORO_MODEL: "fixture", SYNTH_FIXTURE_WORK: "4", VOICES_DIR: voicesDir, DATA_DIR: join(dir, "synth") }));
    gateway = spawnService("gateway", "services/gateway/src/main.ts", {
      ...common,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "gateway"),
      API_KEYS_REQUIRED: "false",
      RATE_LIMIT_RPM: "0",
      MAX_EVENT_STREAMS_PER_KEY: String(MAX_EVENT_STREAMS),
      JOB_CUE_CONCURRENCY: "1",
    });
    procs.push(gateway);
    await waitFor("gateway ready", async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000, 200);
  }, 90_000);

  afterAll(async () => {
    await sql.end({ timeout: 1 });
    await stopAll(procs, "SIGKILL");
  });

  const createJob = async (body: unknown) => {
    const res = await fetch(`${url}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  };
  const alive = async () => gateway.proc.exitCode === null && (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;

  test("300 clients that hang up during the first read do not crash the gateway", async () => {
    const id = await createJob({ input: "tiny job" });
    for (let i = 0; i < 300; i++) {
      // hang up after 0-15 ms: before, during and after the stream's first database read
      await fetch(`${url}/v1/jobs/${id}/events`, { signal: AbortSignal.timeout(i % 16) })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
    await Bun.sleep(300);
    expect(await alive()).toBe(true);
    expect(gateway.output()).not.toContain("Controller is already closed");
  }, 120_000);

  test("200 unread streams on a running job do not multiply database load; the cap answers 429; progress is pushed", async () => {
    const { srt } = filmSrt(1000, (i) => `This is line number ${i + 1}, read at an even pace by a patient narrator.`);
    const id = await createJob({ document: srt, response_format: "wav" });
    await waitFor("the job to run", async () => ((await (await fetch(`${url}/v1/jobs/${id}?cues=false`)).json()).status === "running" ? true : undefined), 60_000, 100);

    const commits = async () => {
      await sql`select pg_stat_clear_snapshot()`;
      const [r] = await sql`select xact_commit::bigint as n from pg_stat_database where datname = current_database()`;
      return Number(r!.n);
    };
    const window = async () => {
      const a = await commits();
      await Bun.sleep(3_000);
      return (await commits()) - a;
    };
    const quiet = await window(); // the render's own progress writes, no stream open

    const streams: AbortController[] = [];
    for (let i = 0; i < 200; i++) {
      const ac = new AbortController();
      const res = await fetch(`${url}/v1/jobs/${id}/events`, { signal: ac.signal });
      expect(res.status).toBe(200);
      streams.push(ac); // never read
    }
    const busy = await window();
    expect((await (await fetch(`${url}/v1/jobs/${id}?cues=false`)).json()).status).toBe("running"); // the streams were open all along
    console.log(`database commits in 3 s while a job renders: ${quiet} without streams, ${busy} with 200 unread event streams`);
    // Polling the row every 300 ms per stream was ~2,000 commits in 3 s here; pushed progress adds
    // at most the fallback poll (one read per stream per 5 s).
    expect(busy).toBeLessThan(quiet + 200 + 100);

    // the cap: 20 more fit, the next one is refused with a clear 429
    for (let i = 0; i < MAX_EVENT_STREAMS - 200; i++) {
      const ac = new AbortController();
      expect((await fetch(`${url}/v1/jobs/${id}/events`, { signal: ac.signal })).status).toBe(200);
      streams.push(ac);
    }
    const refused = await fetch(`${url}/v1/jobs/${id}/events`);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("too_many_event_streams");
    for (const s of streams) s.abort();
    await Bun.sleep(500);
    // slots come back when clients leave
    const again = new AbortController();
    const reader = (await fetch(`${url}/v1/jobs/${id}/events`, { signal: again.signal })).body!.getReader();

    // progress arrives, pushed, then the end
    let text = "";
    const dec = new TextDecoder();
    while ((text.match(/event: job\.progress/g) ?? []).length < 3) text += dec.decode((await reader.read()).value);
    const done = [...text.matchAll(/"cues_done":(\d+)/g)].map((m) => Number(m[1]));
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done[done.length - 1]!).toBeGreaterThan(done[0]!);
    await fetch(`${url}/v1/jobs/${id}`, { method: "DELETE" });
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      text += dec.decode(value);
    }
    expect(text).toContain("event: job.cancelled");
    expect(await alive()).toBe(true);
  }, 180_000);
});
