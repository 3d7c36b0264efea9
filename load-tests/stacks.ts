/**
 * Starts a local kokoro-edge stack for the load driver's `--spawn` option, on
 * loopback ports, with the fixture model dialled to a chosen CPU cost
 * (SYNTH_FIXTURE_WORK / the fixture's `work`), since the real Kokoro ONNX
 * weights are not available offline.
 *   embedded:    `bun services/all-in-one.ts` (in-process bus, PGlite)
 *   distributed: model-mirror, g2p, synth x N and gateway as their own
 *                processes on a NATS server of their own (nats-server on a
 *                free port) and a fresh database on the local Postgres;
 *                synth gets the model and voices, g2p the vocab, from the
 *                mirror, which syncs them from a local upstream folder.
 */
import type { Subprocess } from "bun";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../tests/support/ports";

const root = join(import.meta.dir, "..");
const shared = process.env.SHARED_DIR ?? join(root, "..", "shared");
const paths = {
  voices: join(shared, "kokoro", "voices"),
  config: join(shared, "kokoro", "config.json"),
  lexicons: join(shared, "lexicons", "misaki"),
};

export interface LocalStack {
  url: string;
  kind: "embedded" | "distributed";
  /** Resident memory of each process now, in MiB (Linux /proc). */
  rss(): Record<string, number>;
  /** CPU seconds (user + system) each process has used so far (Linux /proc). */
  cpu(): Record<string, number>;
  stop(): Promise<void>;
}

interface Proc {
  name: string;
  proc: Subprocess;
  out: () => string;
}

function spawn(name: string, entry: string, env: Record<string, string>): Proc {
  let out = "";
  const proc = Bun.spawn([process.execPath, entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const c of s) out = (out + dec.decode(c)).slice(-10_000);
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return { name, proc, out: () => out };
}

export function rssMiB(pid: number): number {
  try {
    const status = require("node:fs").readFileSync(`/proc/${pid}/status`, "utf8") as string;
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return NaN;
  }
}

export function cpuSeconds(pid: number): number {
  try {
    const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8") as string;
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields 14 and 15 (utime, stime) are at 11 and 12 after the command name; clock ticks of 1/100 s
    return Math.round(((Number(f[11]) + Number(f[12])) / 100) * 100) / 100;
  } catch {
    return NaN;
  }
}

async function stopAll(procs: Proc[]) {
  for (const p of procs) p.proc.kill("SIGTERM");
  await Promise.all(procs.map((p) => Promise.race([p.proc.exited, new Promise((r) => setTimeout(r, 5000))])));
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill("SIGKILL");
}

async function waitReady(url: string, procs: Proc[], timeoutMs: number) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const dead = procs.find((p) => p.proc.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.proc.exitCode}):\n${dead.out()}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `the stack was not ready after ${timeoutMs} ms:\n${procs.map((p) => `--- ${p.name}\n${p.out()}`).join("\n")}`,
  );
}

function requireShared() {
  for (const p of Object.values(paths))
    if (!existsSync(p)) throw new Error(`${p} is missing: set SHARED_DIR to the shared data folder`);
}

export async function startEmbedded(opts: { work: number }): Promise<LocalStack> {
  requireShared();
  const dir = mkdtempSync(join(tmpdir(), "ke-load-embedded-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = spawn("all-in-one", "services/all-in-one.ts", {
    NATS_URL: "",
    DATABASE_URL: "",
    PORT: String(port),
    HOST: "127.0.0.1",
    MIRROR_PORT: "0",
    DATA_DIR: dir,
    KOKORO_MODEL: "fixture",
    SYNTH_FIXTURE_WORK: String(opts.work),
    VOICES_DIR: paths.voices,
    KOKORO_CONFIG: paths.config,
    LEXICON_DIR: paths.lexicons,
    MIRROR_UPSTREAMS: "file:///nonexistent-upstream",
    API_KEYS_REQUIRED: "false",
    LOG_LEVEL: "warn",
  });
  const stop = async () => {
    await stopAll([p]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, [p], 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    kind: "embedded",
    rss: () => ({ "all-in-one": rssMiB(p.proc.pid) }),
    cpu: () => ({ "all-in-one": cpuSeconds(p.proc.pid) }),
    stop,
  };
}

/**
 * A NATS server and a database of the stack's own, so that other stacks on
 * this machine (test runs on the shared NATS and Postgres) cannot answer its
 * queue groups or touch its tables. Falls back to the shared NATS when no
 * nats-server binary is installed.
 */
async function isolatedBackends(
  dir: string,
  natsUrl: string,
  databaseUrl: string,
): Promise<{ natsUrl: string; databaseUrl: string; procs: Proc[]; cleanup: () => Promise<void> }> {
  const procs: Proc[] = [];
  const bin = ["/usr/sbin/nats-server", "/usr/local/bin/nats-server", "/usr/bin/nats-server"].find(
    existsSync,
  );
  let nats = natsUrl;
  if (bin) {
    const port = await freePort();
    let out = "";
    const proc = Bun.spawn([bin, "-a", "127.0.0.1", "-p", String(port), "-js", "-sd", join(dir, "nats")], {
      stdout: "pipe",
      stderr: "pipe",
    });
    void (async () => {
      for await (const c of proc.stderr as ReadableStream<Uint8Array>)
        out = (out + new TextDecoder().decode(c)).slice(-5000);
    })();
    procs.push({ name: "nats", proc, out: () => out });
    nats = `nats://127.0.0.1:${port}`;
    const t0 = Date.now();
    while (
      !(await new Promise<boolean>((r) => {
        const sock = require("node:net").connect(port, "127.0.0.1");
        sock.once("connect", () => (sock.destroy(), r(true)));
        sock.once("error", () => r(false));
      }))
    ) {
      if (Date.now() - t0 > 10_000) throw new Error(`nats-server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const { default: postgres } = await import("postgres");
  const name = `ke_load_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(databaseUrl);
  u.pathname = `/${name}`;
  const cleanup = async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  };
  return { natsUrl: nats, databaseUrl: u.toString(), procs, cleanup };
}

export async function startDistributed(opts: {
  work: number;
  synthReplicas: number;
  natsUrl: string;
  databaseUrl: string;
}): Promise<LocalStack> {
  requireShared();
  const { makeLocalUpstream } = await import("../tests/support/upstream");
  const dir = mkdtempSync(join(tmpdir(), "ke-load-distributed-"));
  const upstream = makeLocalUpstream(join(dir, "upstream"), {
    voices: ["af_heart", "af_bella", "bm_george"],
    work: opts.work,
  });
  const [port, mirrorPort, g2pHealth] = await Promise.all([freePort(), freePort(), freePort()]);
  const backends = await isolatedBackends(dir, opts.natsUrl, opts.databaseUrl);
  const common = { NATS_URL: backends.natsUrl, DATABASE_URL: backends.databaseUrl, LOG_LEVEL: "warn" };
  const procs: Proc[] = [
    spawn("model-mirror", "services/model-mirror/src/main.ts", {
      ...common,
      DATA_DIR: join(dir, "mirror"),
      MIRROR_PORT: String(mirrorPort),
      MIRROR_UPSTREAMS: upstream,
      MIRROR_PINNED: "none",
    }),
    spawn("g2p", "services/g2p/src/main.ts", {
      ...common,
      DATA_DIR: join(dir, "g2p"),
      HEALTH_PORT: String(g2pHealth),
      LEXICON_DIR: paths.lexicons,
    }),
  ];
  for (let i = 0; i < opts.synthReplicas; i++) {
    procs.push(
      spawn(`synth-${i}`, "services/synth/src/main.ts", {
        ...common,
        DATA_DIR: join(dir, `synth-${i}`),
        HEALTH_PORT: String(await freePort()),
      }),
    );
  }
  procs.push(
    spawn("gateway", "services/gateway/src/main.ts", {
      ...common,
      DATA_DIR: join(dir, "gateway"),
      PORT: String(port),
      HOST: "127.0.0.1",
      API_KEYS_REQUIRED: "false",
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopAll(procs);
    await stopAll(backends.procs);
    await backends.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, procs, 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    kind: "distributed",
    rss: () => Object.fromEntries(procs.map((p) => [p.name, rssMiB(p.proc.pid)])),
    cpu: () => Object.fromEntries(procs.map((p) => [p.name, cpuSeconds(p.proc.pid)])),
    stop,
  };
}
