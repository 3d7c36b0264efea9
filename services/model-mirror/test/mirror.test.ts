import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
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
import { startMirror } from "../src/service";
import {
  REPO,
  VOICES,
  cleanupTemp,
  folderUpstream,
  natsBuses,
  repoFixture,
  sha256,
  tempDir,
  testConfig,
} from "./helpers";

afterAll(cleanupTemp);
setLogLevel((process.env.LOG_LEVEL as "warn") ?? "error");
const log = createLogger("mirror-test");
const unique = () => `${Date.now().toString(36)}${process.pid}${Math.random().toString(36).slice(2, 6)}`;

interface Setup {
  name: string;
  openDb: (dataDir: string) => Promise<Database>;
  /** [mirror side, client side] */
  buses: () => Promise<[Bus, Bus]>;
}

function mirrorSuite(setup: Setup) {
  describe(`model mirror (${setup.name})`, () => {
    // One database per suite (PGlite takes seconds to start); every test uses its own revision name.
    let shared: Database;
    beforeAll(async () => {
      shared = await setup.openDb(tempDir());
    });
    afterAll(() => shared?.close());

    test("syncs a folder upstream, verifies every file, answers lookups over the bus and HTTP", async () => {
      const fx = repoFixture();
      const up = folderUpstream(fx);
      const dataDir = tempDir();
      const revision = `test-${unique()}`;
      const db = shared;
      const [mbus, cbus] = await setup.buses();
      const updates: MirrorUpdated[] = [];
      const sub = cbus.subscribe(subjects.mirror.updated, (m) =>
        updates.push(MirrorUpdated.parse(decodeJson(m.data))),
      );
      await cbus.flush();
      const config = testConfig({
        DATA_DIR: dataDir,
        MIRROR_UPSTREAMS: up.url,
        MIRROR_REPOS: `${REPO}@${revision}:onnx/model.onnx;config.json;voices/*.bin`,
      });
      const mirror = await startMirror({ bus: mbus, db, log, config });
      try {
        await mirror.syncNow();
        expect(mirror.status().ready).toBe(true);

        // the model, as the synth workers ask for it
        const model = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "onnx/*.onnx" });
        if ("error" in model) throw new Error(model.error.message);
        expect(model.files.map((f) => f.path)).toEqual(["onnx/model.onnx"]);
        const m = model.files[0]!;
        expect(m.sha256).toBe(fx.sums.get("onnx/model.onnx")!);
        expect(m.revision).toBe(revision);
        expect(m.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(sha256(readFileSync(m.local_path!))).toBe(m.sha256);
        expect(
          m.local_path!.startsWith(config.MIRROR_DIR.replace(/^\.\//, "")) ||
            m.local_path!.includes("/blobs/sha256/"),
        ).toBe(true);

        // every voice pack, byte-identical to ../shared
        const voices = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "voices/*.bin" });
        if ("error" in voices) throw new Error(voices.error.message);
        expect(voices.files.map((f) => f.path.slice("voices/".length)).sort()).toEqual(VOICES);
        for (const f of voices.files) expect(f.sha256).toBe(fx.sums.get(f.path)!);
        const heart = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "voices/af_heart.bin" });
        if ("error" in heart) throw new Error(heart.error.message);
        expect(sha256(readFileSync(heart.files[0]!.local_path!))).toBe(fx.sums.get("voices/af_heart.bin")!);

        // config.json over the HF resolve URL the lookup gives
        const cfg = await cbus.requestJson(contracts.mirror.lookup, {
          v: 1,
          repo: REPO,
          path: "config.json",
        });
        if ("error" in cfg) throw new Error(cfg.error.message);
        const res = await fetch(cfg.files[0]!.url!);
        expect(res.status).toBe(200);
        expect(res.headers.get("etag")).toBe(`"${fx.sums.get("config.json")}"`);
        expect(res.headers.get("x-repo-commit")).toBe(m.commit);
        expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(fx.sums.get("config.json")!);

        // by commit, too
        const byCommit = await cbus.requestJson(contracts.mirror.lookup, {
          v: 1,
          revision: m.commit,
          path: "config.json",
        });
        expect("files" in byCommit && byCommit.files.length).toBe(1);

        // current, status, readyz, updated event
        const cur = await cbus.requestJson(contracts.mirror.current, { v: 1 });
        if ("error" in cur) throw new Error(cur.error.message);
        expect(cur.current?.commit).toBe(m.commit);
        expect(cur.current?.files).toBe(VOICES.length + 2);
        const st = await cbus.requestJson(contracts.mirror.status, { v: 1 });
        expect(st.ready).toBe(true);
        expect(st.model_version).toBe(m.commit);
        const ready = await fetch(`http://127.0.0.1:${mirror.port}/readyz`);
        expect(ready.status).toBe(200);
        await cbus.flush();
        expect(updates.some((u) => u.version.commit === m.commit && u.version.revision === revision)).toBe(
          true,
        );

        // mistakes a caller can make: clear 4xx, the service keeps answering
        const trav = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "../../etc/passwd" });
        expect("error" in trav && trav.error.status).toBe(400);
        const missing = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "voices/nobody.bin" });
        expect("error" in missing && missing.error.status).toBe(404);
        const other = await cbus.requestJson(contracts.mirror.lookup, {
          v: 1,
          repo: "someone/else",
          path: "x",
        });
        expect("error" in other && other.error.code).toBe("repo_not_found");
        const badRev = await cbus.requestJson(contracts.mirror.lookup, {
          v: 1,
          revision: "nope",
          path: "config.json",
        });
        expect("error" in badRev && badRev.error.status).toBe(404);

        // a second sync of the same content is a no-op, and a restart serves from the store at once
        const before = updates.length;
        await mirror.syncNow();
        expect(updates.length).toBe(before);
      } finally {
        await mirror.stop();
        sub.unsubscribe();
      }

      const again = await startMirror({
        bus: mbus,
        db,
        log,
        config: { ...config, MIRROR_UPSTREAMS: [{ kind: "hf", url: "http://127.0.0.1:1" }] },
      });
      try {
        expect(again.status().ready).toBe(true);
        const r = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "onnx/model.onnx" });
        expect("files" in r && r.files[0]!.sha256).toBe(fx.sums.get("onnx/model.onnx")!);
      } finally {
        await again.stop();
        await mbus.close();
        if (cbus !== mbus) await cbus.close();
      }
    });

    test("bytes that fail verification on one upstream are fetched from the next", async () => {
      const fx = repoFixture();
      const wrong = new Uint8Array(fx.files.get("voices/af_heart.bin")!);
      wrong[1000] = wrong[1000]! ^ 0xff; // right length, wrong bytes
      const bad = folderUpstream(fx, {
        "voices/af_heart.bin": wrong,
        "onnx/model.onnx": fx.files.get("onnx/model.onnx")!.slice(0, 1000),
      });
      const good = folderUpstream(fx);
      const dataDir = tempDir();
      const db = shared;
      const [mbus, cbus] = await setup.buses();
      const config = testConfig({
        DATA_DIR: dataDir,
        MIRROR_UPSTREAMS: `${bad.url},${good.url}`,
        MIRROR_REPOS: `${REPO}@test-${unique()}:onnx/model.onnx;voices/af_heart.bin;voices/bf_emma.bin`,
      });
      const mirror = await startMirror({ bus: mbus, db, log, config });
      try {
        await mirror.syncNow();
        const cur = mirror.state.specs[0]!.current!;
        expect(cur).toBeDefined();
        const byPath = new Map(cur.files.map((f) => [f.path, f]));
        expect(byPath.get("voices/af_heart.bin")!.upstream).toBe(good.url);
        expect(byPath.get("onnx/model.onnx")!.upstream).toBe(good.url);
        expect(byPath.get("voices/bf_emma.bin")!.upstream).toBe(bad.url);
        for (const [p, f] of byPath)
          expect(sha256(readFileSync(mirror.state.store.blobPath(f.sha256)))).toBe(fx.sums.get(p)!);
        expect(
          await valueOf(mirror.metrics.upstreamFailures, { upstream: bad.url, reason: "integrity" }),
        ).toBeGreaterThanOrEqual(2);
      } finally {
        await mirror.stop();
        await mbus.close();
        if (cbus !== mbus) await cbus.close();
      }
    });

    test("offline with nothing stored: says so plainly and keeps running", async () => {
      const dataDir = tempDir();
      const db = shared;
      const [mbus, cbus] = await setup.buses();
      const config = testConfig({
        DATA_DIR: dataDir,
        MIRROR_UPSTREAMS: "http://127.0.0.1:1,file:///nonexistent/folder",
        MIRROR_REPOS: `${REPO}@test-${unique()}`,
      });
      const mirror = await startMirror({ bus: mbus, db, log, config });
      try {
        await mirror.syncNow();
        const ready = await fetch(`http://127.0.0.1:${mirror.port}/readyz`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { detail: string };
        expect(body.detail).toContain("nothing is stored and it cannot be fetched");
        expect(body.detail).toContain("127.0.0.1:1 is unreachable");
        const cur = await cbus.requestJson(contracts.mirror.current, { v: 1 });
        if ("error" in cur) throw new Error(cur.error.message);
        expect(cur.current).toBeNull();
        expect(cur.detail).toContain("/nonexistent/folder has no");
        const look = await cbus.requestJson(contracts.mirror.lookup, { v: 1, path: "onnx/*.onnx" });
        expect("error" in look && look.error.code).toBe("mirror_fetch_failed");
        expect((await fetch(`http://127.0.0.1:${mirror.port}/healthz`)).status).toBe(200);
      } finally {
        await mirror.stop();
        await mbus.close();
        if (cbus !== mbus) await cbus.close();
      }
    });
  });
}

mirrorSuite({
  name: "embedded: PGlite, in-process bus",
  openDb: (dataDir) => openDatabase({ dataDir }),
  buses: async () => {
    const b = new Bus(new MemoryTransport());
    return [b, b];
  },
});

if ((await haveNats()) && (await havePostgres())) {
  mirrorSuite({
    name: "Postgres, NATS",
    openDb: (dataDir) => openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir }),
    buses: () => natsBuses(TEST_NATS_URL),
  });
}
