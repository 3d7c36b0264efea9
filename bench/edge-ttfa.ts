/**
 * Time to first audio through a gateway on Deno reaching NATS over WebSocket
 * (the edge placement) against a gateway on Bun over TCP, in one run, on the
 * same g2p and synth workers (Bun, TCP). Two more gateways, Deno over TCP and
 * Bun over WebSocket, tell the runtime's share from the transport's. Every
 * round asks each gateway once, in a shuffled order, for the same short text;
 * the figure is the time from sending the request to the first audio byte.
 *   bun bench/edge-ttfa.ts [--rounds 40] [--work 0]
 * --work is the fixture model's extra compute (0: the path itself; see
 * bench/README.md for Kokoro's cost).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPrivateNats } from "@kokoro-edge/runtime/src/testing/nats-server";
import { sharedPaths } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { freePort, waitFor } from "../tests/support/ports";
import { spawnService, stopAll, type Runtime, type ServiceProcess } from "../tests/support/processes";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "40" }, work: { type: "string", default: "0" } },
});
const rounds = Number(args.rounds);
const warmup = 5;
const token = crypto.randomUUID();
const nats = await startPrivateNats({ wsToken: token });
const wsUrl = nats.wsUrl.replace("ws://", `ws://${token}@`);
const dir = mkdtempSync(join(tmpdir(), "ke-edge-ttfa-"));
const shared = sharedPaths();
const common = { LOG_LEVEL: "warn", API_KEYS_REQUIRED: "false" };

const gateways: { name: string; runtime: Runtime; natsUrl: string; port: number }[] = [
  { name: "deno + websocket", runtime: "deno", natsUrl: wsUrl, port: await freePort() },
  { name: "bun + tcp", runtime: "bun", natsUrl: nats.url, port: await freePort() },
  { name: "deno + tcp", runtime: "deno", natsUrl: nats.url, port: await freePort() },
  { name: "bun + websocket", runtime: "bun", natsUrl: wsUrl, port: await freePort() },
];
const procs: ServiceProcess[] = [
  spawnService("g2p", "services/g2p/src/main.ts", {
    ...common,
    NATS_URL: nats.url,
    DATA_DIR: join(dir, "g2p"),
    HEALTH_PORT: String(await freePort()),
    KOKORO_CONFIG: shared.kokoroConfig,
    LEXICON_DIR: shared.lexiconDir,
  }),
  spawnService("synth", "services/synth/src/main.ts", {
    ...common,
    NATS_URL: nats.url,
    DATA_DIR: join(dir, "synth"),
    HEALTH_PORT: String(await freePort()),
    KOKORO_MODEL: "fixture",
    VOICES_DIR: shared.voicesDir,
    SYNTH_FIXTURE_WORK: args.work!,
  }),
  ...gateways.map((g, i) =>
    spawnService(
      `gateway ${g.name}`,
      "services/gateway/src/main.ts",
      {
        ...common,
        NATS_URL: g.natsUrl,
        DATA_DIR: join(dir, `gw${i}`),
        PORT: String(g.port),
        HOST: "127.0.0.1",
      },
      g.runtime,
    ),
  ),
];

async function ttfaMs(port: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/v1/audio/speech`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "kokoro",
      input: "The edge answers quickly, and then keeps talking for a while.",
      voice: "af_heart",
      response_format: "pcm",
    }),
  });
  if (res.status !== 200) throw new Error(`${port}: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  const first = await reader.read();
  const ms = performance.now() - t0;
  if (first.done) throw new Error("no audio");
  while (!(await reader.read()).done);
  return ms;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

try {
  for (const g of gateways)
    await waitFor(
      `gateway ${g.name} ready`,
      async () => ((await fetch(`http://127.0.0.1:${g.port}/readyz`)).status === 200 ? true : undefined),
      90_000,
      250,
    );
  const samples = new Map(gateways.map((g) => [g.name, [] as number[]]));
  for (let r = 0; r < warmup + rounds; r++) {
    const order = [...gateways].sort(() => Math.random() - 0.5);
    for (const g of order) {
      const ms = await ttfaMs(g.port);
      if (r >= warmup) samples.get(g.name)!.push(ms);
    }
  }
  console.log(
    `time to first audio, ${rounds} rounds (after ${warmup} warm-up), fixture work ${args.work}; g2p and synth on Bun over TCP`,
  );
  console.log("gateway            median    p90   mean (ms)");
  for (const g of gateways) {
    const xs = samples.get(g.name)!;
    console.log(
      `${g.name.padEnd(18)} ${quantile(xs, 0.5).toFixed(1).padStart(6)} ${quantile(xs, 0.9).toFixed(1).padStart(6)} ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1).padStart(6)}`,
    );
  }
  const med = (n: string) => quantile(samples.get(n)!, 0.5);
  console.log(
    `median ratio, deno + websocket / bun + tcp: ${(med("deno + websocket") / med("bun + tcp")).toFixed(2)}`,
  );
  console.log(
    `median ratio, deno + tcp / bun + tcp: ${(med("deno + tcp") / med("bun + tcp")).toFixed(2)} (runtime); bun + websocket / bun + tcp: ${(med("bun + websocket") / med("bun + tcp")).toFixed(2)} (transport)`,
  );
} catch (err) {
  for (const p of procs) console.error(`--- ${p.name} (exit ${p.proc.exitCode})\n${p.output()}`);
  throw err;
} finally {
  await stopAll(procs);
  await nats.stop();
}
