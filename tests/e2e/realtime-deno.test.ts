/**
 * The realtime socket through a gateway on Deno (the platform seam's
 * upgradeSocket on Deno.upgradeWebSocket, drain polled), g2p and synth on
 * Bun, real NATS: a turn at LLM pace whose phonemes equal one-shot, and a
 * barge-in.
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
const TEXT =
  "Deno serves this socket too. It hears the text as it is typed, and speaks each sentence when it ends.";

(enabled ? describe : describe.skip)("realtime socket on a Deno gateway", () => {
  const procs: ServiceProcess[] = [];
  let url = "";
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "ke-rt-deno-"));
    const [port, g2pPort, sp] = await Promise.all([freePort(), freePort(), freePort()]);
    const common = { NATS_URL: TEST_NATS_URL, LOG_LEVEL: "warn" };
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
        INSTANCE_ID: "rt-deno-synth",
        HEALTH_PORT: String(sp),
        KOKORO_MODEL: "fixture",
        VOICES_DIR: voicesDir,
        DATA_DIR: join(dir, "synth"),
      }),
    );
    procs.push(
      spawnService(
        "gateway",
        "services/gateway/src/main.ts",
        {
          ...common,
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: join(dir, "gw"),
          API_KEYS_REQUIRED: "false",
          JOB_CONCURRENCY: "0",
        },
        "deno",
      ),
    );
    url = `http://127.0.0.1:${port}`;
    await waitFor(
      "deno gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      90_000,
      250,
    );
  }, 120_000);
  afterAll(async () => {
    await stopAll(procs, "SIGKILL");
  });

  test("a turn at 30 tokens/s, then Clear and a second turn", async () => {
    try {
      const reference = await fetch(`${url}/v1/audio/speech`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "kokoro", voice: "af_heart", input: TEXT, response_format: "pcm" }),
      });
      const want = phonemesOf(int16(Buffer.from(await reference.arrayBuffer())));
      const ws = await TestSocket.open(`${url.replace(/^http/, "ws")}/v1/speak`, {
        protocols: ["token", "anything-in-open-mode"],
      });
      expect(ws.ws.protocol).toBe("token");
      await paced(llmTokens(TEXT), 30, (t) => ws.send({ type: "Speak", text: t }));
      ws.send({ type: "Flush" });
      await ws.waitJson("Flushed");
      expect(phonemesOf(int16(ws.audioAfter()))).toEqual(want);
      const from = ws.received.length;
      ws.send({ type: "Speak", text: "A second turn that will be cut off. ".repeat(8) });
      await ws.waitFor((r) => r.kind === "audio", 20_000, from);
      ws.send({ type: "Clear" });
      const ci = await ws.waitJson("Cleared", 5_000, from);
      await new Promise((r) => setTimeout(r, 300));
      expect(ws.received.slice(ci).filter((r) => r.kind === "audio").length).toBe(0);
      ws.send({ type: "Close" });
      expect((await ws.closed).code).toBe(1000);
    } catch (err) {
      console.error(procs.find((p) => p.name === "gateway")!.output());
      throw err;
    }
  });
});
