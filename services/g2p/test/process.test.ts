/** src/main.ts as its own process on NATS: health endpoints, a request over the bus, a clean SIGTERM. */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { contracts } from "@kokoro-edge/proto";
import { connectBus } from "@kokoro-edge/runtime";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { freePort } from "../../../tests/support/ports";
import { KOKORO_CONFIG, LEXICON_DIR } from "./shared";

if (await haveNats()) {
  test("main.ts serves g2p over NATS with health endpoints, and stops on SIGTERM", async () => {
    const port = await freePort(); // a random port could be taken: the process would exit at once
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../src/main.ts")], {
      env: {
        ...process.env,
        NATS_URL: TEST_NATS_URL,
        LEXICON_DIR,
        KOKORO_CONFIG,
        HEALTH_PORT: String(port),
        LOG_LEVEL: "warn",
        INSTANCE_ID: "g2p-process-test",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      let ready: Response | undefined;
      for (let i = 0; i < 120; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (ready?.status === 200 || proc.exitCode !== null) break;
        await Bun.sleep(250);
      }
      if (ready?.status !== 200) {
        proc.kill("SIGKILL");
        console.error(`g2p's output (exit ${await proc.exited}):\n${await new Response(proc.stderr).text()}`);
      }
      expect(ready?.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const bus = await connectBus(TEST_NATS_URL, "g2p-process-test-client");
      try {
        const r = await bus.requestJson(contracts.g2p.phonemize, {
          v: 1,
          text: "It costs $5.",
          voice: "am_adam",
        });
        expect("error" in r).toBe(false);
        if (!("error" in r)) expect(r.normalized).toContain("five dollars");
      } finally {
        await bus.close();
      }
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  }, 60_000);
}
