/**
 * The separate-process platform on real NATS and Postgres, as the fuzz run and
 * the hostile-input tests use it: g2p, synth (fixture model), the model mirror
 * and the gateway each in a process of its own, keys required, with an admin
 * token and one API key of the run's own.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DATABASE_URL, TEST_NATS_URL } from "@kokoro-edge/runtime/src/testing/services";
import { kokoroConfig, lexiconDir, voicesDir } from "./paths";
import { freePort, waitFor } from "./ports";
import { spawnService, stopAll, type ServiceProcess } from "./processes";

export interface SeparateStack {
  url: string;
  mirrorUrl: string;
  adminToken: string;
  key: string;
  gateway: ServiceProcess;
  procs: ServiceProcess[];
  stop(): Promise<void>;
}

/** `services`: where every process finds the bus and the database (default: the test NATS and Postgres). */
export async function startSeparateStack(
  name: string,
  gatewayEnv: Record<string, string> = {},
  services: { natsUrl?: string; databaseUrl?: string } = {},
): Promise<SeparateStack> {
  const dir = mkdtempSync(join(tmpdir(), `ke-${name}-`));
  const common = {
    NATS_URL: services.natsUrl ?? TEST_NATS_URL,
    DATABASE_URL: services.databaseUrl ?? TEST_DATABASE_URL,
    LOG_LEVEL: "warn",
  };
  const adminToken = `${name}-admin-token-0123456789`;
  const [port, mirrorPort, g2pPort, synthPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  // A tiny upstream for the mirror to serve from (a file tree laid out like a hub repo).
  const upstream = join(dir, "upstream");
  mkdirSync(join(upstream, "org", "repo"), { recursive: true });
  writeFileSync(join(upstream, "org", "repo", "a.txt"), "0123456789abcdef");
  writeFileSync(
    join(upstream, "org", "repo", "SHA256SUMS"),
    `${createHash("sha256").update("0123456789abcdef").digest("hex")}  a.txt\n`,
  );
  const procs: ServiceProcess[] = [
    spawnService("model-mirror", "services/model-mirror/src/main.ts", {
      ...common,
      DATA_DIR: join(dir, "mirror"),
      MIRROR_PORT: String(mirrorPort),
      HOST: "127.0.0.1",
      MIRROR_UPSTREAMS: `file://${upstream}`,
      MIRROR_PINNED_UPSTREAMS: "none",
      MIRROR_PINNED: "none",
      MIRROR_REPOS: "org/repo@main:a.txt",
    }),
    spawnService("g2p", "services/g2p/src/main.ts", {
      ...common,
      HOST: "127.0.0.1",
      HEALTH_PORT: String(g2pPort),
      KOKORO_CONFIG: kokoroConfig,
      LEXICON_DIR: lexiconDir,
    }),
    spawnService("synth", "services/synth/src/main.ts", {
      ...common,
      HOST: "127.0.0.1",
      HEALTH_PORT: String(synthPort),
      KOKORO_MODEL: "fixture",
      VOICES_DIR: voicesDir,
      DATA_DIR: join(dir, "synth"),
    }),
  ];
  const gateway = spawnService("gateway", "services/gateway/src/main.ts", {
    ...common,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: join(dir, "gateway"),
    API_KEYS_REQUIRED: "true",
    ADMIN_TOKEN: adminToken,
    ...gatewayEnv,
  });
  procs.push(gateway);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopAll(procs);
  try {
    await waitFor(
      "gateway ready",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      90_000,
      200,
    );
    const res = await fetch(`${url}/admin/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `${name}-${Date.now()}` }),
    });
    if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${await res.text()}`);
    const key = (await res.json()).key as string;
    return { url, mirrorUrl: `http://127.0.0.1:${mirrorPort}`, adminToken, key, gateway, procs, stop };
  } catch (err) {
    for (const p of procs) console.error(`--- ${p.name}\n${p.output()}`);
    await stop();
    throw err;
  }
}
