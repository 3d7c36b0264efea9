/**
 * Sync from (fake) Hugging Face hubs: the LFS redirect, failover under every
 * kind of fault, Retry-After, the circuit breaker, keeping the last good
 * version, resuming after a kill, and the scrub.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { contracts, MirrorUpdated, subjects } from "@kokoro-edge/proto";
import {
  valueOf,
  Bus,
  MemoryTransport,
  createLogger,
  decodeJson,
  openDatabase,
  setLogLevel,
  type Database,
} from "@kokoro-edge/runtime";
import {
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  haveNats,
  havePostgres,
} from "@kokoro-edge/runtime/src/testing/services";
import { mirrorFiles } from "@kokoro-edge/runtime";
import { eq } from "drizzle-orm";
import { startMirror, type Mirror } from "../src/service";
import { FakeHub } from "./fake-hub";
import {
  REPO,
  cleanupTemp,
  fakeModel,
  folderUpstream,
  natsBuses,
  gitSha1,
  repoFixture,
  sha256,
  tempDir,
  testConfig,
  waitFor,
} from "./helpers";

setLogLevel((process.env.LOG_LEVEL as "warn") ?? "error");
const log = createLogger("mirror-test");
let db: Database;
/** The mirror's bus, and the one tests ask it on. */
let bus: Bus;
let client: Bus;
const hubs: FakeHub[] = [];
const mirrors: Mirror[] = [];

afterAll(cleanupTemp);

/** A 300 kB stand-in model, big enough for the mid-body faults below; serve.test and mirror.test use the fixture ONNX model. */
const fx = repoFixture(fakeModel());
const SOME = [
  "config.json",
  "onnx/model.onnx",
  "voices/af_heart.bin",
  "voices/af_bella.bin",
  "voices/af_nicole.bin",
  "voices/af_sky.bin",
  "voices/bf_emma.bin",
  "voices/am_adam.bin",
];

async function hub(files = fx.files): Promise<FakeHub> {
  const h = await new FakeHub({ repo: REPO, files: new Map(files) }).start();
  hubs.push(h);
  return h;
}

async function mirror(env: Record<string, string>, dataDir = tempDir()): Promise<Mirror> {
  if (db.kind === "postgres")
    env = { ...env, MIRROR_REPOS: env.MIRROR_REPOS!.replace(/@main:/, `@${uniqueRev}:`) };
  const m = await startMirror({ bus, db, log, config: testConfig({ DATA_DIR: dataDir, ...env }) });
  mirrors.push(m);
  return m;
}

const repos = (paths: string[], rev = "main") => `${REPO}@${rev}:${paths.join(";")}`;

/** Every blob in the store hashes to its name, and no temp file is left. */
function assertStoreClean(m: Mirror) {
  const store = m.state.store;
  let n = 0;
  for (const prefix of readdirSync(store.blobsDir)) {
    for (const name of readdirSync(join(store.blobsDir, prefix))) {
      expect(sha256(readFileSync(join(store.blobsDir, prefix, name)))).toBe(name);
      n++;
    }
  }
  expect(readdirSync(store.tmpDir)).toEqual([]);
  return n;
}

function byPath(m: Mirror) {
  return new Map(m.state.specs[0]!.current!.files.map((f) => [f.path, f]));
}

let uniqueRev = "main";

interface Setup {
  name: string;
  open: () => Promise<[Database, Bus, Bus]>;
  /** Also run the slower tests (the kill-and-resume one spawns a process). */
  all: boolean;
}

function hubSuite(setup: Setup) {
  describe(`model mirror with Hugging Face upstreams (${setup.name})`, () => {
    beforeAll(async () => {
      [db, bus, client] = await setup.open();
    });
    // Mirrors share one bus: stop each test's before the next starts.
    afterEach(async () => {
      for (const m of mirrors.splice(0)) await m.stop().catch(() => {});
      for (const h of hubs.splice(0)) await h.stop().catch(() => {});
    });
    afterAll(async () => {
      await bus.close();
      if (client !== bus) await client.close();
      await db.close();
    });

    test("syncs a whole repo through the LFS redirect to the CDN host, verifying sha256 and git blob sha1", async () => {
      const h = await hub();
      const m = await mirror({
        MIRROR_UPSTREAMS: h.url,
        MIRROR_REPOS: repos(["onnx/model.onnx", "config.json", "voices/*.bin"]),
      });
      await m.syncNow();
      const cur = m.state.specs[0]!.current!;
      expect(cur.commit).toBe(h.commit);
      expect(cur.files.length).toBe(fx.files.size);
      for (const f of cur.files) {
        expect(f.sha256).toBe(fx.sums.get(f.path)!);
        expect(f.upstream).toBe(h.url);
      }
      const cfg = cur.files.find((f) => f.path === "config.json")!;
      expect(cfg.lfs).toBe(false);
      expect(cfg.gitOid).toBe(gitSha1(fx.files.get("config.json")!));
      expect(h.requests.filter((r) => r.host === "cdn").length).toBe(fx.files.size - 1);
      const rows = await db.db
        .select()
        .from(mirrorFiles)
        .where(eq(mirrorFiles.sha256, fx.sums.get("onnx/model.onnx")!));
      expect(rows.length).toBeGreaterThan(0);
      expect(assertStoreClean(m)).toBe(fx.files.size);
    });

    test("failover: 503, hang, truncation, wrong bytes, wrong length and a stall on hub A all end in verified bytes from hub B; nothing unverified is ever served", async () => {
      const a = await hub();
      const b = await hub();
      b.commit = a.commit; // two mirrors of one commit
      a.inject("config.json", [{ kind: "status", status: 503 }], true);
      a.inject("voices/af_heart.bin", [{ kind: "hang" }], true);
      a.inject("voices/af_bella.bin", [{ kind: "truncate", bytes: 100_000 }], true);
      a.inject("voices/af_nicole.bin", [{ kind: "wrong_bytes" }], true);
      a.inject("voices/af_sky.bin", [{ kind: "wrong_length", extra: 7 }], true);
      a.inject("onnx/model.onnx", [{ kind: "stall", bytes: 65_536 }], true);
      const m = await mirror({
        MIRROR_UPSTREAMS: `${a.url},${b.url}`,
        MIRROR_REPOS: repos(SOME),
        MIRROR_TIMEOUT_MS: "800",
        MIRROR_BREAKER_FAILURES: "100",
      });

      // Poll the mirror while it syncs: any 200 must carry the true bytes.
      let served = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          for (const p of ["voices/af_nicole.bin", "voices/af_sky.bin", "voices/af_bella.bin"]) {
            const res = await fetch(`http://127.0.0.1:${m.port}/${REPO}/resolve/HEAD/${p}`);
            if (res.status === 200) {
              expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(fx.sums.get(p)!);
              served++;
            } else {
              expect(res.status).toBe(503);
              await res.arrayBuffer();
            }
          }
          await Bun.sleep(10);
        }
      })();
      await m.syncNow();
      await Bun.sleep(50);
      polling = false;
      await poller;
      expect(served).toBeGreaterThan(0);

      const files = byPath(m);
      for (const p of [
        "config.json",
        "voices/af_heart.bin",
        "voices/af_bella.bin",
        "voices/af_nicole.bin",
        "voices/af_sky.bin",
        "onnx/model.onnx",
      ])
        expect([p, files.get(p)!.upstream]).toEqual([p, b.url]);
      for (const p of ["voices/bf_emma.bin", "voices/am_adam.bin"])
        expect(files.get(p)!.upstream).toBe(a.url);
      for (const [p, f] of files) expect(f.sha256).toBe(fx.sums.get(p)!);
      // the truncated and stalled transfers were resumed on B with Range, not restarted
      expect(b.requests.some((r) => r.host === "cdn" && r.range === "bytes=100000-")).toBe(true);
      expect(b.requests.some((r) => r.host === "cdn" && r.range === "bytes=65536-")).toBe(true);
      const f = m.metrics.upstreamFailures;
      expect(await valueOf(f, { upstream: a.url, reason: "http_5xx" })).toBeGreaterThanOrEqual(1);
      expect(await valueOf(f, { upstream: a.url, reason: "timeout" })).toBeGreaterThanOrEqual(2);
      expect(await valueOf(f, { upstream: a.url, reason: "truncated" })).toBeGreaterThanOrEqual(1);
      expect(await valueOf(f, { upstream: a.url, reason: "integrity" })).toBeGreaterThanOrEqual(2);
      assertStoreClean(m);
    });

    test("a local folder serves the bytes when the hub's downloads fail, verified against the hub's listing", async () => {
      const a = await hub();
      for (const p of SOME) a.inject(p, [{ kind: "status", status: 503 }], true);
      const wrong = new Uint8Array(fx.files.get("voices/af_heart.bin")!);
      wrong[7] = wrong[7]! ^ 1;
      // the folder's own SHA256SUMS agrees with its corrupt copy: only the hub's checksums catch it
      const bad = folderUpstream(
        {
          files: new Map([...fx.files].map(([p, b]) => [p, p === "voices/af_heart.bin" ? wrong : b])),
          sums: new Map([...fx.sums].map(([p, h]) => [p, p === "voices/af_heart.bin" ? sha256(wrong) : h])),
        },
        { "voices/af_heart.bin": wrong },
      );
      const good = folderUpstream(fx);
      const m = await mirror({
        MIRROR_UPSTREAMS: `${bad.url},${a.url},${good.url}`,
        MIRROR_REPOS: repos(SOME),
        MIRROR_BREAKER_FAILURES: "100",
      });
      await m.syncNow();
      const cur = m.state.specs[0]!.current!;
      expect(cur.commit).toBe(a.commit); // the hub's listing, not the folder's
      const files = byPath(m);
      expect(files.get("voices/af_heart.bin")!.upstream).toBe(good.url);
      expect(files.get("voices/af_heart.bin")!.sha256).toBe(fx.sums.get("voices/af_heart.bin")!);
      expect(files.get("voices/bf_emma.bin")!.upstream).toBe(bad.url);
      expect(files.get("config.json")!.gitOid).toBe(gitSha1(fx.files.get("config.json")!));
      assertStoreClean(m);
    });

    test("a file the listing gives no checksum for is never fetched; the others still are", async () => {
      const a = await new FakeHub({
        repo: REPO,
        files: new Map(fx.files),
        xetOnly: new Set(["voices/am_adam.bin"]),
      }).start();
      hubs.push(a);
      const m = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["config.json", "voices/am_adam.bin"]),
      });
      await m.syncNow();
      expect(m.state.specs[0]!.current).toBeUndefined();
      expect(m.state.specs[0]!.lastError).toContain("without a sha256 or git blob sha1");
      expect(a.requests.filter((r) => r.path.endsWith("am_adam.bin")).length).toBe(0);
      const ok = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["config.json", "voices/af_*.bin"]),
      });
      await ok.syncNow();
      expect(ok.state.specs[0]!.current!.files.length).toBe(
        [...fx.files.keys()].filter((p) => p.startsWith("voices/af_")).length + 1,
      );
    });

    test("a file over MIRROR_MAX_FILE_BYTES is refused and the run fails plainly", async () => {
      const a = await hub();
      const m = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["config.json", "onnx/model.onnx"]),
        MIRROR_MAX_FILE_BYTES: "100000",
      });
      await m.syncNow();
      expect(m.state.specs[0]!.current).toBeUndefined();
      expect(m.state.specs[0]!.lastError).toContain("MIRROR_MAX_FILE_BYTES");
      expect(a.requests.filter((r) => r.path.endsWith("model.onnx")).length).toBe(0);
    });

    test("stopping the mirror aborts a hung download at once", async () => {
      const a = await hub();
      a.inject("onnx/model.onnx", [{ kind: "stall", bytes: 1000 }], true);
      const m = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["onnx/model.onnx"]),
        MIRROR_TIMEOUT_MS: "30000",
      });
      await waitFor("the download to start", () => a.requests.some((r) => r.host === "cdn"));
      const t0 = Date.now();
      await m.stop();
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(m.state.specs[0]!.current).toBeUndefined();
    });

    test("429 with Retry-After on the only upstream: the mirror waits it out, then completes", async () => {
      const a = await hub();
      a.inject("config.json", [{ kind: "status", status: 429, retryAfter: "1" }]);
      const m = await mirror({ MIRROR_UPSTREAMS: a.url, MIRROR_REPOS: repos(["config.json"]) });
      const t0 = Date.now();
      await m.syncNow();
      expect(m.state.specs[0]!.current).toBeDefined();
      const gets = a.requests.filter((r) => r.path.endsWith("/config.json"));
      expect(gets.length).toBe(2);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
      expect(await valueOf(m.metrics.upstreamFailures, { upstream: a.url, reason: "rate_limited" })).toBe(1);
    });

    test("a circuit breaker stops hammering a dead upstream", async () => {
      const a = await hub();
      const b = await hub();
      b.commit = a.commit;
      const paths = SOME.filter((p) => p.startsWith("voices/"));
      for (const p of paths) a.inject(p, [{ kind: "status", status: 502 }], true);
      const m = await mirror({
        MIRROR_UPSTREAMS: `${a.url},${b.url}`,
        MIRROR_REPOS: repos(paths),
        MIRROR_BREAKER_FAILURES: "2",
        MIRROR_BREAKER_COOLDOWN: "60s",
        MIRROR_CONCURRENCY: "1",
      });
      await m.syncNow();
      expect([...byPath(m).values()].every((f) => f.upstream === b.url)).toBe(true);
      const tried = a.requests.filter((r) => r.path.includes("/resolve/"));
      expect(tried.length).toBe(2);
      const metrics = await (await fetch(`http://127.0.0.1:${m.port}/metrics`)).text();
      expect(metrics).toContain(`mirror_upstream_breaker_open{upstream="${a.url}"} 1`);
    });

    test("a run that cannot complete keeps the last good version serving", async () => {
      const a = await hub();
      const m = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["onnx/model.onnx", "config.json"]),
      });
      await m.syncNow();
      const first = m.state.specs[0]!.current!;
      // upstream moves to a new commit whose model cannot be fetched
      const oldCommit = a.commit;
      a.commit = "c".repeat(40);
      a.opts.files.set("onnx/model.onnx", fakeModel(200_000, 7));
      a.inject("onnx/model.onnx", [{ kind: "status", status: 500 }], true);
      await m.syncNow();
      expect(m.state.specs[0]!.current!.commit).toBe(oldCommit);
      expect(m.state.specs[0]!.lastError).toContain("could not be fetched");
      const look = await client.requestJson(contracts.mirror.lookup, { v: 1, path: "onnx/model.onnx" });
      expect("files" in look && look.files[0]!.sha256).toBe(
        first.files.find((f) => f.path === "onnx/model.onnx")!.sha256,
      );
      const ready = await fetch(`http://127.0.0.1:${m.port}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { detail: string }).detail).toContain(
        "the last sync failed, still serving",
      );
      // once the upstream recovers, the new version replaces it
      a.faults.clear();
      await m.syncNow();
      expect(m.state.specs[0]!.current!.commit).toBe("c".repeat(40));
    });

    test("on its schedule it notices a new commit and announces it on mirror.updated", async () => {
      const a = await hub();
      const updates: MirrorUpdated[] = [];
      const sub = client.subscribe(subjects.mirror.updated, (msg) =>
        updates.push(MirrorUpdated.parse(decodeJson(msg.data))),
      );
      await client.flush();
      try {
        const m = await mirror({
          MIRROR_UPSTREAMS: a.url,
          MIRROR_REPOS: repos(["config.json", "onnx/model.onnx"]),
          MIRROR_SYNC_INTERVAL: "200ms",
        });
        await waitFor("the first version", () => updates.find((u) => u.version.commit === a.commit));
        for (let i = 0; i < 3; i++) await m.syncNow(); // extra runs must not start extra schedules
        a.commit = "d".repeat(40);
        a.opts.files.set("onnx/model.onnx", fakeModel(100_000, 9));
        const next = await waitFor(
          "the new version",
          () => updates.find((u) => u.version.commit === "d".repeat(40)),
          10_000,
        );
        expect(next.version.files).toBe(2);
        const look = await client.requestJson(contracts.mirror.lookup, { v: 1, path: "onnx/model.onnx" });
        expect("files" in look && look.files[0]!.sha256).toBe(sha256(a.opts.files.get("onnx/model.onnx")!));
        // one schedule: about one listing per interval, not a growing number
        const before = a.requests.filter((r) => r.path.includes("/revision/")).length;
        await Bun.sleep(1000);
        const listings = a.requests.filter((r) => r.path.includes("/revision/")).length - before;
        expect(listings).toBeGreaterThanOrEqual(2);
        expect(listings).toBeLessThanOrEqual(6);
      } finally {
        sub.unsubscribe();
      }
    });

    test("the scrub quarantines a corrupted blob, which is never served until fetched again", async () => {
      const a = await hub();
      const m = await mirror({
        MIRROR_UPSTREAMS: a.url,
        MIRROR_REPOS: repos(["config.json", "voices/af_heart.bin"]),
      });
      await m.syncNow();
      const heart = byPath(m).get("voices/af_heart.bin")!;
      const blob = m.state.store.blobPath(heart.sha256);
      const bytes = readFileSync(blob);
      bytes[5] = bytes[5]! ^ 1;
      writeFileSync(blob, bytes);
      a.inject("voices/af_heart.bin", [{ kind: "status", status: 503 }], true); // the re-fetch has to wait
      expect(await m.scrubNow()).toBe(1);
      expect(existsSync(blob)).toBe(false);
      expect(readdirSync(m.state.store.quarantineDir).length).toBe(1);
      const res = await fetch(`http://127.0.0.1:${m.port}/${REPO}/resolve/HEAD/voices/af_heart.bin`);
      expect(res.status).toBe(503);
      const look = await client.requestJson(contracts.mirror.lookup, { v: 1, path: "voices/af_heart.bin" });
      expect("error" in look && look.error.code).toBe("file_quarantined");
      const glob = await client.requestJson(contracts.mirror.lookup, { v: 1, path: "voices/*.bin" });
      expect("files" in glob && glob.files.length).toBe(0);
      const ready = (await (await fetch(`http://127.0.0.1:${m.port}/readyz`)).json()) as { detail: string };
      expect(ready.detail).toContain("1 failed an integrity check");
      a.faults.clear();
      await waitFor("the running re-fetch to finish", () => !m.state.specs[0]!.syncing);
      await m.syncNow();
      const again = await fetch(`http://127.0.0.1:${m.port}/${REPO}/resolve/HEAD/voices/af_heart.bin`);
      expect(again.status).toBe(200);
      expect(sha256(new Uint8Array(await again.arrayBuffer()))).toBe(fx.sums.get("voices/af_heart.bin")!);
    });

    // (embedded only: the database plays no part in resuming, and it spawns a process)
    if (setup.all)
      test("a process killed mid-download resumes with Range after a restart", async () => {
        const big = fakeModel(3_000_000, 3);
        const a = await hub(
          new Map([...fx.files].filter(([p]) => p === "config.json").concat([["onnx/model.onnx", big]])),
        );
        a.inject("onnx/model.onnx", [{ kind: "slow", chunk: 65_536, everyMs: 40 }]);
        const mirrorDir = tempDir();
        const child = Bun.spawn([process.execPath, join(import.meta.dir, "../src/main.ts")], {
          env: {
            ...process.env,
            NATS_URL: "",
            DATABASE_URL: "",
            DATA_DIR: tempDir(),
            MIRROR_DIR: mirrorDir,
            MIRROR_PORT: "0",
            MIRROR_HOST: "127.0.0.1",
            MIRROR_UPSTREAMS: a.url,
            MIRROR_REPOS: repos(["onnx/model.onnx"]),
            MIRROR_PINNED: "none",
            LOG_LEVEL: "error",
          },
          stdout: "ignore",
          stderr: "ignore",
        });
        const part = join(mirrorDir, "tmp", `${sha256(big)}.part`);
        try {
          await waitFor(
            "a partial download",
            () => existsSync(part) && statSync(part).size >= 500_000,
            60_000,
          );
        } finally {
          child.kill(9);
          await child.exited;
        }
        const kept = statSync(part).size;
        expect(kept).toBeLessThan(big.length);
        a.faults.clear();
        const m = await mirror({
          MIRROR_DIR: mirrorDir,
          MIRROR_UPSTREAMS: a.url,
          MIRROR_REPOS: repos(["onnx/model.onnx"]),
        });
        await m.syncNow();
        const f = byPath(m).get("onnx/model.onnx")!;
        expect(f.sha256).toBe(sha256(big));
        expect(a.requests.some((r) => r.host === "cdn" && r.range === `bytes=${kept}-`)).toBe(true);
        assertStoreClean(m);
      }, 90_000);
  });
}

hubSuite({
  name: "embedded: PGlite, in-process bus",
  all: true,
  open: async () => {
    const b = new Bus(new MemoryTransport());
    return [await openDatabase({ dataDir: tempDir() }), b, b];
  },
});

if ((await haveNats()) && (await havePostgres())) {
  hubSuite({
    name: "Postgres, NATS",
    all: false,
    open: async () => {
      // The shared test database: a revision name of its own keeps parallel runs apart.
      uniqueRev = `t${Date.now().toString(36)}${process.pid}`;
      return [
        await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: tempDir() }),
        ...(await natsBuses(TEST_NATS_URL)),
      ];
    },
  });
}
