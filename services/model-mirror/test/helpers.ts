/** Test fixtures: an upstream folder built from ../shared, and a mirror config for tests. */
import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { generateFixtureModel } from "@kokoro-edge/fixture-model";
import { Bus, NatsTransport, loadConfig, type Msg, type Transport } from "@kokoro-edge/runtime";
import { mirrorConfig, type MirrorConfig } from "../src/config";

export const REPO = "onnx-community/Kokoro-82M-v1.0-ONNX";
export const SHARED_DIR = resolve(process.env.SHARED_DIR ?? join(import.meta.dir, "../../../../shared"));
export const VOICES_DIR = join(SHARED_DIR, "kokoro", "voices");
export const VOICES = readdirSync(VOICES_DIR)
  .filter((f) => f.endsWith(".bin"))
  .sort();

export const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
export const gitSha1 = (b: Uint8Array) =>
  createHash("sha1").update(`blob ${b.byteLength}\0`).update(b).digest("hex");

const cleanups: string[] = [];
export function tempDir(prefix = "ke-mirror-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(d);
  return d;
}
export function cleanupTemp() {
  for (const d of cleanups.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A small stand-in for the ONNX model: deterministic bytes, distinct per seed. */
export function fakeModel(bytes = 300_000, seed = 1): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed * 2654435761;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export interface RepoFixture {
  /** path -> bytes, for every file in the repo */
  files: Map<string, Uint8Array>;
  sums: Map<string, string>;
}

/** The repo's files: the real voice packs and config.json from ../shared, plus the fixture ONNX model (or other bytes) as onnx/model.onnx. */
export function repoFixture(
  model: Uint8Array = generateFixtureModel({ naming: "onnx-community", durations: true }),
): RepoFixture {
  const files = new Map<string, Uint8Array>();
  files.set("config.json", readFileSync(join(SHARED_DIR, "kokoro", "config.json")));
  for (const v of VOICES) files.set(`voices/${v}`, readFileSync(join(VOICES_DIR, v)));
  files.set("onnx/model.onnx", model);
  return { files, sums: new Map([...files].map(([p, b]) => [p, sha256(b)])) };
}

/**
 * A `file://` upstream laid out as {owner}/{name}/{files}: voices and config
 * symlinked to ../shared (never copied), the model written, SHA256SUMS computed.
 * `override` replaces some files' bytes on disk (for fault tests) while
 * SHA256SUMS keeps the true checksums.
 */
export function folderUpstream(
  fx: RepoFixture,
  override: Record<string, Uint8Array> = {},
): { url: string; dir: string } {
  const root = tempDir("ke-upstream-");
  const repoDir = join(root, ...REPO.split("/"));
  for (const [path, bytes] of fx.files) {
    const target = join(repoDir, path);
    mkdirSync(dirname(target), { recursive: true });
    if (override[path]) writeFileSync(target, override[path]!);
    else if (path === "config.json") symlinkSync(join(SHARED_DIR, "kokoro", "config.json"), target);
    else if (path.startsWith("voices/")) symlinkSync(join(VOICES_DIR, path.slice("voices/".length)), target);
    else writeFileSync(target, bytes);
  }
  writeFileSync(join(repoDir, "SHA256SUMS"), [...fx.sums].map(([p, s]) => `${s}  ${p}`).join("\n") + "\n");
  return { url: `file://${root}`, dir: root };
}

export function testConfig(env: Record<string, string>): MirrorConfig {
  return loadConfig(mirrorConfig, {
    MIRROR_PORT: "0",
    MIRROR_HOST: "127.0.0.1",
    MIRROR_SYNC_INTERVAL: "0",
    MIRROR_SCRUB_INTERVAL: "0",
    MIRROR_TIMEOUT_MS: "2000",
    // the pinned lexicons have their own tests
    MIRROR_PINNED: "none",
    LOG_LEVEL: "warn",
    ...env,
  });
}

export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

/**
 * Real NATS, but with the contract subjects (`ke.…`) moved under a prefix of
 * this test run's own, so mirrors that other processes run on the same NATS
 * server (other test runs, a dev stack) never answer this run's requests.
 */
export class NamespacedTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly prefix: string,
  ) {}
  private s(subject: string) {
    return subject.startsWith("ke.") ? `${this.prefix}.${subject}` : subject;
  }
  get kind() {
    return this.inner.kind;
  }
  publish(subject: string, data: Uint8Array, headers?: Record<string, string>) {
    this.inner.publish(this.s(subject), data, headers);
  }
  subscribe(subject: string, handler: (msg: Msg) => void, opts?: { queue?: string }) {
    return this.inner.subscribe(this.s(subject), handler, opts);
  }
  request(subject: string, data: Uint8Array, opts: { timeoutMs: number; headers?: Record<string, string> }) {
    return this.inner.request(this.s(subject), data, opts);
  }
  inbox() {
    return this.inner.inbox();
  }
  flush() {
    return this.inner.flush();
  }
  close() {
    return this.inner.close();
  }
  isConnected() {
    return this.inner.isConnected();
  }
  connectedSince() {
    return this.inner.connectedSince();
  }
}

/** Two buses on real NATS sharing a namespace of their own: [mirror side, client side]. */
export async function natsBuses(url: string): Promise<[Bus, Bus]> {
  const ns = `test${Date.now().toString(36)}${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  return [
    new Bus(new NamespacedTransport(await NatsTransport.connect(url, "mirror"), ns)),
    new Bus(new NamespacedTransport(await NatsTransport.connect(url, "mirror-client"), ns)),
  ];
}
