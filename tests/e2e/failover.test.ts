/**
 * A synth worker dies mid-stream (SIGKILL, real NATS, two worker processes):
 * the rest of the stream is re-dispatched to the other replica and the client
 * receives complete audio with no gap and nothing repeated.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { Bus, NatsTransport, concatInt16, createLogger } from "@kokoro-edge/runtime";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { synthesize, type SynthEvent } from "../../services/gateway/src/pipeline/synth-client";
import { voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";

const enabled = await haveNats();

function randomChunks(n: number, seed: number) {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, index) => ({
    index,
    tokens: Array.from({ length: 20 + Math.floor(rnd() * 40) }, () => 1 + Math.floor(rnd() * 177)),
    pause_after_s: [0, 0.1, 0.25, 0.5][Math.floor(rnd() * 4)]!,
  }));
}

async function collect(events: AsyncGenerator<SynthEvent>, onAudio?: (n: number, worker: string) => Promise<void>) {
  const pcm: Int16Array[] = [];
  let worker = "";
  let resumes = 0;
  let n = 0;
  for await (const ev of events) {
    if (ev.type === "start") worker = ev.info.worker;
    if (ev.type === "audio") {
      pcm.push(ev.pcm);
      await onAudio?.(++n, worker);
    }
    if (ev.type === "end") resumes = ev.resumes;
  }
  return { pcm: concatInt16(pcm), worker, resumes };
}

(enabled ? describe : describe.skip)("synth failover (two worker processes, real NATS)", () => {
  let procs: ServiceProcess[] = [];
  let bus: Bus;
  const log = createLogger("failover-test");

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "ke-failover-"));
    const ports = [await freePort(), await freePort()];
    procs = ["synth-a", "synth-b"].map((name, i) =>
      spawnService(name, "services/synth/src/main.ts", {
        NATS_URL: TEST_NATS_URL,
        KOKORO_MODEL: "fixture",
        VOICES_DIR: voicesDir,
        DATA_DIR: join(dir, name),
        HEALTH_PORT: String(ports[i]),
        INSTANCE_ID: name,
        LOG_LEVEL: "warn",
      }),
    );
    for (const port of ports) {
      await waitFor(`synth on ${port} ready`, async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000, 200);
    }
    bus = new Bus(await NatsTransport.connect(TEST_NATS_URL, "failover-test"));
  });

  afterAll(async () => {
    await bus?.close();
    await stopAll(procs, "SIGKILL");
  });

  test("SIGKILL mid-stream: complete audio, identical to an uninterrupted run", async () => {
    const chunks = randomChunks(12, 7);
    const request = { v: 1 as const, request_id: "failover-1", voice: "af_heart", speed: 1, chunks };
    const opts = { credit: 2, maxResumes: 3, idleTimeoutMs: 1500, log };
    const reference = await collect(synthesize(bus, request, opts));
    expect(decodeTokens(reference.pcm).tokens).toEqual(chunks.flatMap((c) => c.tokens));

    let killed = "";
    const t0 = Date.now();
    const interrupted = await collect(synthesize(bus, { ...request, request_id: "failover-2" }, opts), async (n, worker) => {
      if (n === 3 && !killed) {
        killed = worker;
        procs.find((p) => p.name === worker)!.proc.kill("SIGKILL");
      }
      await new Promise((r) => setTimeout(r, 20)); // a client reading at its own pace
    });
    expect(killed).not.toBe("");
    expect(interrupted.resumes).toBeGreaterThanOrEqual(1);
    expect(interrupted.pcm.length).toBe(reference.pcm.length);
    expect(Buffer.compare(Buffer.from(interrupted.pcm.buffer), Buffer.from(reference.pcm.buffer))).toBe(0);
    expect(decodeTokens(interrupted.pcm).tokens).toEqual(chunks.flatMap((c) => c.tokens));
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
