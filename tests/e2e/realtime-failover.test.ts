/**
 * A synth replica SIGKILLed in the middle of a realtime turn (separate
 * processes, real NATS): the socket's turn resumes on the other replica and
 * the client hears every token once, as a one-shot request of the same text.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { TestSocket, int16, llmTokens, paced } from "../../services/gateway/test/realtime.client";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";

const enabled = await haveNats();
const SPACE = 16;
const phonemesOf = (pcm: Int16Array) => decodeTokens(pcm).tokens.filter((t) => t !== SPACE);
// One long sentence: one phrase, one synth stream of many chunks.
const TEXT =
  "This answer is one long sentence that keeps going without a single comma so that it becomes one phrase and one synth stream of many chunks and the replica that serves it can be killed while it is still speaking and then the rest must come from the other replica with nothing lost and nothing said twice.";

(enabled ? describe : describe.skip)("realtime turn survives a synth replica (SIGKILL, real NATS)", () => {
  const procs: ServiceProcess[] = [];
  let url = "";
  const synthPorts: Record<string, number> = {};

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "ke-rt-failover-"));
    const [port, g2pPort, s1, s2] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const common = { NATS_URL: TEST_NATS_URL, LOG_LEVEL: "warn" };
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
      synthPorts[name] = hp;
      procs.push(
        spawnService(name, "services/synth/src/main.ts", {
          ...common,
          INSTANCE_ID: `rt-${name}`,
          HEALTH_PORT: String(hp),
          KOKORO_MODEL: "fixture",
          SYNTH_FIXTURE_WORK: "4",
          // a replica killed mid-turn must be inferring: a turn served from the chunk cache would finish first
          SYNTH_CACHE: "false",
          VOICES_DIR: voicesDir,
          DATA_DIR: join(dir, name),
        }),
      );
    }
    procs.push(
      spawnService("gateway", "services/gateway/src/main.ts", {
        ...common,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: join(dir, "gateway"),
        API_KEYS_REQUIRED: "false",
        JOB_CONCURRENCY: "0",
        STREAM_IDLE_TIMEOUT_MS: "1500",
        STREAM_CREDIT: "2",
      }),
    );
    url = `http://127.0.0.1:${port}`;
    await waitFor(
      "gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      60_000,
      200,
    );
    for (const hp of [s1, s2])
      await waitFor(
        `synth ${hp} ready`,
        async () =>
          (await fetch(`http://127.0.0.1:${hp}/readyz`).catch(() => undefined))?.status === 200
            ? true
            : undefined,
        60_000,
        200,
      );
  });

  afterAll(async () => {
    await stopAll(procs, "SIGKILL");
  });

  test("SIGKILL mid-turn: the turn finishes on the other replica, every token once", async () => {
    const reference = await fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "kokoro", voice: "af_heart", input: TEXT, response_format: "pcm" }),
    });
    expect(reference.status).toBe(200);
    const want = phonemesOf(int16(Buffer.from(await reference.arrayBuffer())));

    const ws = await TestSocket.open(`${url.replace(/^http/, "ws")}/v1/speak`);
    await paced(llmTokens(TEXT), 50, (t) => ws.send({ type: "Speak", text: t }));
    ws.send({ type: "Flush" });
    await ws.waitFor((r) => r.kind === "audio", 20_000);
    // The replica with the stream is the one reporting an active stream.
    let victim = "";
    await waitFor(
      "a replica with the stream",
      async () => {
        for (const [name, hp] of Object.entries(synthPorts)) {
          const m = await (await fetch(`http://127.0.0.1:${hp}/metrics`)).text();
          if (/^kokoro_synth_active_streams\s+1\b/m.test(m)) return (victim = name);
        }
        return undefined;
      },
      5_000,
      5,
    );
    procs.find((p) => p.name === victim)!.proc.kill("SIGKILL");
    const heardBeforeKill = ws.audioAfter().length;
    await ws.waitJson("Flushed", 30_000);
    expect(heardBeforeKill).toBeLessThan(ws.audioAfter().length);
    expect(ws.json("Error")).toEqual([]);
    expect(phonemesOf(int16(ws.audioAfter()))).toEqual(want);
    expect(procs.find((p) => p.name === "gateway")!.output()).toContain("resuming on another replica");
    ws.ws.close();
  });
});
