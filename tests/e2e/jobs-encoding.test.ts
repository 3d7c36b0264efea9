/**
 * Two gateway processes share JOBS_DIR and Postgres; one renders a long MP3
 * job (issue 20, finding 4). Encoding must not freeze the gateway that does
 * it (its /healthz stays fast), its lease must keep being renewed (the other
 * gateway never takes the job over), and no gateway may delete a file the
 * job's current holder needs.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import {
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  haveNats,
  havePostgres,
} from "@kokoro-edge/runtime/src/testing/services";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";
import { cancelUnfinishedJobs } from "../support/jobs";

const enabled = (await haveNats()) && (await havePostgres());

/** An SRT whose few short cues are spread over `seconds`: cheap to render, long to encode. */
function sparseSrt(cues: number, seconds: number): string {
  const ts = (s: number) => new Date(s * 1000).toISOString().slice(11, 23).replace(".", ",");
  return Array.from({ length: cues }, (_, i) => {
    const start = (i * seconds) / cues + 0.5;
    return `${i + 1}\n${ts(start)} --> ${ts(start + 2)}\nCue number ${i + 1}.\n`;
  }).join("\n");
}

(enabled ? describe : describe.skip)(
  "a long job's encoding with two gateways (separate processes, Postgres)",
  () => {
    const procs: ServiceProcess[] = [];
    const urls: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), "ke-job-encode-"));
    const common = { NATS_URL: TEST_NATS_URL, DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "warn" };

    beforeAll(async () => {
      await cancelUnfinishedJobs(TEST_DATABASE_URL);
      const [g2pPort, synthPort, p1, p2] = await Promise.all([
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
      for (const [i, port] of [p1, p2].entries()) {
        procs.push(
          spawnService(`gateway-${i + 1}`, "services/gateway/src/main.ts", {
            ...common,
            INSTANCE_ID: `encode-gw-${i + 1}`,
            PORT: String(port),
            HOST: "127.0.0.1",
            DATA_DIR: join(dir, `gateway-${i + 1}`),
            JOBS_DIR: join(dir, "jobs"), // shared, as the manifests mount it
            API_KEYS_REQUIRED: "false",
            JOB_LEASE_MS: "1500",
            JOB_POLL_MS: "200",
          }),
        );
        urls.push(`http://127.0.0.1:${port}`);
      }
      for (const url of urls)
        await waitFor(
          "gateway ready",
          async () =>
            (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
          60_000,
          200,
        );
    }, 90_000);

    afterAll(async () => stopAll(procs, "SIGKILL"));

    test("/healthz stays fast on both while 950 s of MP3 is encoded, the lease holds, and the audio is whole", async () => {
      const seconds = 1000;
      const res = await fetch(`${urls[0]}/v1/jobs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ document: sparseSrt(20, seconds), format: "srt", response_format: "mp3" }),
      });
      expect(res.status).toBe(201);
      const id = (await res.json()).id as string;

      const worst = [0, 0];
      let stop = false;
      const probes = urls.map(async (url, i) => {
        while (!stop) {
          const t0 = performance.now();
          const ok =
            (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined))
              ?.status === 200;
          worst[i] = Math.max(worst[i]!, ok ? performance.now() - t0 : 30_000);
          await Bun.sleep(100);
        }
      });
      const job = await waitFor(
        "the job to end",
        async () => {
          const j = await (await fetch(`${urls[1]}/v1/jobs/${id}?cues=false`)).json();
          return j.status === "succeeded" || j.status === "failed" ? j : undefined;
        },
        240_000,
        250,
      );
      stop = true;
      await Promise.all(probes);
      console.log(
        `worst /healthz latency while the job ran and was encoded: ${worst.map((w) => `${Math.round(w)} ms`).join(", ")}`,
      );
      expect(job.error).toBeNull();
      expect(job.status).toBe("succeeded");
      expect(job.attempts).toBe(1); // no takeover: the lease was renewed all along
      for (const w of worst) expect(w).toBeLessThan(1_000);

      const audio = await fetch(`${urls[1]}${job.audio.url}`);
      expect(audio.status).toBe(200);
      const file = join(dir, "out.mp3");
      await Bun.write(file, await audio.arrayBuffer());
      const probe = Bun.spawnSync([
        "ffprobe",
        "-v",
        "error",
        "-show_entries",
        "format=duration",
        "-of",
        "csv=p=0",
        file,
      ]);
      expect(Math.abs(Number(probe.stdout.toString().trim()) - job.audio.seconds)).toBeLessThan(0.1);
      expect(job.audio.seconds).toBeGreaterThan(seconds * 0.95); // the last cue ends at 952.5 s
    }, 300_000);

    test("a job whose gateway is killed is finished by the other replica, from the shared JOBS_DIR", async () => {
      const sql = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        const res = await fetch(`${urls[0]}/v1/jobs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ document: sparseSrt(300, 600), format: "srt", response_format: "wav" }),
        });
        expect(res.status).toBe(201);
        const id = (await res.json()).id as string;
        const owner = await waitFor(
          "a replica to take the job and make progress",
          async () => {
            const [row] = await sql`select lease_owner, cues_done from jobs where id = ${id}`;
            return row?.lease_owner && Number(row.cues_done) >= 20 ? String(row.lease_owner) : undefined;
          },
          60_000,
          50,
        );
        const victim = owner.includes("encode-gw-1") ? 0 : 1;
        const gw = procs.find((p) => p.name === `gateway-${victim + 1}`)!;
        gw.proc.kill("SIGKILL");
        await gw.proc.exited;
        const other = urls[1 - victim]!;
        const job = await waitFor(
          "the other replica to finish the job",
          async () => {
            const j = await (await fetch(`${other}/v1/jobs/${id}?cues=false`)).json();
            if (j.status === "failed") throw new Error(JSON.stringify(j.error));
            return j.status === "succeeded" ? j : undefined;
          },
          120_000,
          250,
        );
        expect(job.attempts).toBeGreaterThanOrEqual(2);
        const [row] = await sql`select lease_owner from jobs where id = ${id}`;
        expect(row!.lease_owner).toBeNull();
        const wav = new Uint8Array(await (await fetch(`${other}${job.audio.url}`)).arrayBuffer());
        expect(wav.length).toBe(44 + Math.round(job.audio.seconds * 24_000) * 2);
        console.log(
          `a job whose gateway was killed after 20+ cues was finished by the other replica (attempt ${job.attempts})`,
        );
      } finally {
        await sql.end();
      }
    }, 180_000);
  },
);
