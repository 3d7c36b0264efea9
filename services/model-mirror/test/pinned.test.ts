/**
 * Pinned files (misaki's lexicons by default): fetched by commit and sha256
 * from a plain HTTPS source laid out like GitHub's raw files, with failover
 * past a source that serves wrong bytes, and served like any mirrored file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { contracts, MISAKI_COMMIT, MISAKI_LEXICONS, MISAKI_REPO } from "@kokoro-edge/proto";
import {
  valueOf,
  Bus,
  ConfigError,
  MemoryTransport,
  createLogger,
  loadConfig,
  openDatabase,
  setLogLevel,
} from "@kokoro-edge/runtime";
import { defaultRepos, mirrorConfig } from "../src/config";
import { startMirror } from "../src/service";
import {
  REPO,
  SHARED_DIR,
  cleanupTemp,
  folderUpstream,
  repoFixture,
  sha256,
  tempDir,
  testConfig,
} from "./helpers";

afterAll(cleanupTemp);
setLogLevel("error");
const log = createLogger("pinned-test");
const lexicon = (path: string) =>
  readFileSync(join(SHARED_DIR, "lexicons", "misaki", path.split("/").pop()!));

/** A raw-file host: `/{owner}/{name}/{commit}/{path}`; `corrupt` serves every file with one byte changed. */
function rawHost(corrupt = false) {
  const hits: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const p = decodeURIComponent(new URL(req.url).pathname);
      hits.push(p);
      const prefix = `/${MISAKI_REPO}/${MISAKI_COMMIT}/`;
      if (!p.startsWith(prefix) || !(p.slice(prefix.length) in MISAKI_LEXICONS))
        return new Response("404: Not Found", { status: 404 });
      const bytes = new Uint8Array(lexicon(p));
      if (corrupt) bytes[100] = bytes[100]! ^ 1;
      return new Response(bytes, { headers: { "content-type": "text/plain; charset=utf-8" } });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, hits, stop: () => server.stop(true) };
}

describe("pinned files from plain HTTPS sources", () => {
  test("the default pins misaki's four lexicons at the recorded commit and sums (those of ../shared's copies)", () => {
    const c = loadConfig(mirrorConfig, { DATA_DIR: tempDir() });
    const pinned = c.MIRROR_REPOS.find((s) => s.repo === MISAKI_REPO)!;
    expect(pinned.revision).toBe(MISAKI_COMMIT);
    expect(Object.keys(pinned.pinned!).sort()).toEqual([
      "misaki/data/gb_gold.json",
      "misaki/data/gb_silver.json",
      "misaki/data/us_gold.json",
      "misaki/data/us_silver.json",
    ]);
    const sums = readFileSync(join(SHARED_DIR, "lexicons", "misaki", "SHA256SUMS"), "utf8");
    for (const [path, sha] of Object.entries(pinned.pinned!))
      expect(sums).toContain(`${sha}  ${path.split("/").pop()}`);
    expect(c.MIRROR_PINNED_UPSTREAMS).toEqual([{ kind: "raw", url: "https://raw.githubusercontent.com" }]);
  });

  test("bad pins are a configuration error that names MIRROR_PINNED", () => {
    for (const bad of [
      "hexgrad/misaki@main:a.json=" + "0".repeat(64),
      `hexgrad/misaki@${MISAKI_COMMIT}:a.json=xyz`,
      `hexgrad/misaki@${MISAKI_COMMIT}:../etc/passwd=${"0".repeat(64)}`,
    ]) {
      expect(() => loadConfig(mirrorConfig, { DATA_DIR: tempDir(), MIRROR_PINNED: bad })).toThrow(
        ConfigError,
      );
      expect(() => loadConfig(mirrorConfig, { DATA_DIR: tempDir(), MIRROR_PINNED: bad })).toThrow(
        /MIRROR_PINNED/,
      );
    }
    expect(
      loadConfig(mirrorConfig, { DATA_DIR: tempDir(), MIRROR_PINNED: "none" }).MIRROR_REPOS.map(
        (s) => s.repo,
      ),
    ).toEqual(["onnx-community/Kokoro-82M-v1.0-ONNX"]);
  });

  test("KOKORO_DTYPE picks the one model variant the default MIRROR_REPOS fetches", () => {
    const repos = (env: Record<string, string>) =>
      loadConfig(mirrorConfig, { DATA_DIR: tempDir(), MIRROR_PINNED: "none", ...env }).MIRROR_REPOS[0]!
        .patterns;
    expect(repos({})).toEqual(["onnx/model_quantized.onnx", "tokenizer.json", "voices/*.bin"]);
    expect(repos({ KOKORO_DTYPE: "fp32" })).toEqual(["onnx/model.onnx", "tokenizer.json", "voices/*.bin"]);
    expect(repos({ KOKORO_DTYPE: "q4f16" })[0]).toBe("onnx/model_q4f16.onnx");
    expect(defaultRepos("uint8")).toContain("onnx/model_uint8.onnx");
    expect(() => loadConfig(mirrorConfig, { DATA_DIR: tempDir(), KOKORO_DTYPE: "int3" })).toThrow(
      /KOKORO_DTYPE/,
    );
  });

  test("fetched past a source with wrong bytes, verified, and served over the bus and HTTP", async () => {
    const bad = rawHost(true);
    const good = rawHost();
    const bus = new Bus(new MemoryTransport());
    const db = await openDatabase({ dataDir: tempDir(), log });
    const config = testConfig({
      DATA_DIR: tempDir(),
      MIRROR_UPSTREAMS: "file:///nonexistent-upstream",
      MIRROR_REPOS: "onnx-community/Kokoro-82M-v1.0-ONNX@main:tokenizer.json",
      MIRROR_PINNED: `${MISAKI_REPO}@${MISAKI_COMMIT}:${Object.entries(MISAKI_LEXICONS)
        .map(([p, s]) => `${p}=${s}`)
        .join(";")}`,
      MIRROR_PINNED_UPSTREAMS: `${bad.url},${good.url}`,
    });
    const mirror = await startMirror({ bus, db, log, config });
    try {
      await mirror.syncNow();
      const spec = mirror.state.specs.find((s) => s.spec.repo === MISAKI_REPO)!;
      expect(spec.current?.commit).toBe(MISAKI_COMMIT);
      // the corrupt source was asked and refused; the good one delivered
      expect(bad.hits.some((h) => h.endsWith("us_gold.json"))).toBe(true);
      expect(good.hits.some((h) => h.endsWith("us_gold.json"))).toBe(true);
      expect(
        await valueOf(mirror.metrics.upstreamFailures, { upstream: bad.url, reason: "integrity" }),
      ).toBeGreaterThanOrEqual(1);
      const look = await bus.requestJson(contracts.mirror.lookup, {
        v: 1,
        repo: MISAKI_REPO,
        path: "misaki/data/*.json",
      });
      if ("error" in look) throw new Error(look.error.message);
      expect(look.files.map((f) => [f.path, f.sha256]).sort()).toEqual(
        Object.entries(MISAKI_LEXICONS).sort(),
      );
      const served = await fetch(
        `http://127.0.0.1:${mirror.port}/${MISAKI_REPO}/resolve/${MISAKI_COMMIT}/misaki/data/us_gold.json`,
      );
      expect(served.status).toBe(200);
      expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(
        MISAKI_LEXICONS["misaki/data/us_gold.json"]!,
      );
    } finally {
      await mirror.stop();
      await bus.close();
      await db.close();
      bad.stop();
      good.stop();
    }
  });

  test("with no source at all, the reason is said in a few words and nothing unverified is served", async () => {
    const bus = new Bus(new MemoryTransport());
    const db = await openDatabase({ dataDir: tempDir(), log });
    const config = testConfig({
      DATA_DIR: tempDir(),
      MIRROR_UPSTREAMS: "http://127.0.0.1:9",
      MIRROR_PINNED: `${MISAKI_REPO}@${MISAKI_COMMIT}:misaki/data/us_gold.json=${MISAKI_LEXICONS["misaki/data/us_gold.json"]}`,
      MIRROR_PINNED_UPSTREAMS: "http://127.0.0.1:9",
    });
    const mirror = await startMirror({ bus, db, log, config });
    try {
      await mirror.syncNow();
      const look = await bus.requestJson(contracts.mirror.lookup, {
        v: 1,
        repo: MISAKI_REPO,
        path: "misaki/data/us_gold.json",
      });
      expect("error" in look && look.error.code).toBe("mirror_fetch_failed");
      expect("error" in look && look.error.message).toBe(
        `cannot fetch ${MISAKI_REPO}@${MISAKI_COMMIT}: 1 of 1 files could not be fetched and verified (misaki/data/us_gold.json: 127.0.0.1:9 is unreachable)`,
      );
    } finally {
      await mirror.stop();
      await bus.close();
      await db.close();
    }
  });

  test("pinned files that cannot be had do not stop the mirror from being ready to serve the model", async () => {
    const up = folderUpstream(repoFixture());
    const bus = new Bus(new MemoryTransport());
    const db = await openDatabase({ dataDir: tempDir(), log });
    const config = testConfig({
      DATA_DIR: tempDir(),
      MIRROR_UPSTREAMS: up.url,
      MIRROR_REPOS: `${REPO}@main:onnx/model.onnx;voices/af_heart.bin`,
      MIRROR_PINNED: `${MISAKI_REPO}@${MISAKI_COMMIT}:misaki/data/us_gold.json=${MISAKI_LEXICONS["misaki/data/us_gold.json"]}`,
      MIRROR_PINNED_UPSTREAMS: "http://127.0.0.1:9",
    });
    const mirror = await startMirror({ bus, db, log, config });
    try {
      await mirror.syncNow();
      expect(mirror.status().ready).toBe(true);
      const ready = (await (await fetch(`http://127.0.0.1:${mirror.port}/readyz`)).json()) as {
        status: string;
        checks: Record<string, { ok: boolean; detail: string }>;
      };
      expect(ready.status).toBe("ready");
      expect(ready.checks[`${MISAKI_REPO}@${MISAKI_COMMIT}`]).toMatchObject({ ok: false });
    } finally {
      await mirror.stop();
      await bus.close();
      await db.close();
    }
  });
});
