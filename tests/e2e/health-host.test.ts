/**
 * g2p's and synth's health ports bind the address HOST names, as the
 * gateway's port does (issue 20, finding 10: they bound 0.0.0.0 whatever HOST
 * said). Bound to 127.0.0.2, the port answers there and not on 127.0.0.1.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { haveNats, TEST_NATS_URL } from "@kokoro-edge/runtime/src/testing/services";
import { kokoroConfig, lexiconDir, voicesDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../support/processes";

const enabled = await haveNats();

(enabled ? describe : describe.skip)("health ports honour HOST", () => {
  const procs: ServiceProcess[] = [];
  afterAll(() => stopAll(procs));

  for (const [name, entry, env] of [
    ["g2p", "services/g2p/src/main.ts", { KOKORO_CONFIG: kokoroConfig, LEXICON_DIR: lexiconDir }],
    ["synth", "services/synth/src/main.ts", { KOKORO_MODEL: "fixture", VOICES_DIR: voicesDir }],
  ] as const) {
    test(`${name}: HOST=127.0.0.2 binds the health port there only`, async () => {
      const port = await freePort();
      procs.push(
        spawnService(name, entry, {
          NATS_URL: TEST_NATS_URL,
          LOG_LEVEL: "warn",
          HOST: "127.0.0.2",
          HEALTH_PORT: String(port),
          ...env,
        }),
      );
      await waitFor(
        `${name} health on 127.0.0.2`,
        async () =>
          (await fetch(`http://127.0.0.2:${port}/healthz`).catch(() => undefined))?.status === 200
            ? true
            : undefined,
        60_000,
        200,
      );
      const other = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.status)
        .catch(() => "refused");
      expect(other).toBe("refused");
    }, 90_000);
  }
});
