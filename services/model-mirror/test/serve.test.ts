/**
 * The mirror as an HF-compatible CDN: real clients (@huggingface/hub, curl, a
 * second mirror using this one as its upstream) get byte-identical files, and
 * unsafe requests are refused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { downloadFile, listFiles, modelInfo } from "@huggingface/hub";
import {
  Bus,
  MemoryTransport,
  createLogger,
  openDatabase,
  setLogLevel,
  type Database,
} from "@kokoro-edge/runtime";
import { startMirror, type Mirror } from "../src/service";
import { FakeHub } from "./fake-hub";
import { REPO, cleanupTemp, repoFixture, sha256, tempDir, testConfig } from "./helpers";

setLogLevel((process.env.LOG_LEVEL as "warn") ?? "error");
const log = createLogger("mirror-test");
const fx = repoFixture();
const PATHS = [
  "config.json",
  "onnx/model.onnx",
  "voices/af_heart.bin",
  "voices/bm_george.bin",
  "voices/zf_xiaobei.bin",
];
let db: Database;
let hub: FakeHub;
let m1: Mirror;
let base: string;

beforeAll(async () => {
  db = await openDatabase({ dataDir: tempDir() });
  hub = await new FakeHub({ repo: REPO, files: new Map(PATHS.map((p) => [p, fx.files.get(p)!])) }).start();
  m1 = await startMirror({
    bus: new Bus(new MemoryTransport()),
    db,
    log,
    config: testConfig({
      DATA_DIR: tempDir(),
      MIRROR_UPSTREAMS: hub.url,
      MIRROR_REPOS: `${REPO}@main:${PATHS.join(";")}`,
    }),
  });
  await m1.syncNow();
  base = `http://127.0.0.1:${m1.port}`;
});
afterAll(async () => {
  await m1?.stop();
  await hub?.stop();
  await db?.close();
  cleanupTemp();
});

async function curl(
  args: string[],
): Promise<{ status: number; headers: Record<string, string>; body: Uint8Array }> {
  const dir = tempDir("ke-curl-");
  const proc = Bun.spawn(["curl", "-s", "-D", `${dir}/h`, "-o", `${dir}/b`, ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(await proc.exited).toBe(0);
  const raw = await Bun.file(`${dir}/h`).text();
  const lines = raw.trim().split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = (await Bun.file(`${dir}/b`).exists())
    ? new Uint8Array(await Bun.file(`${dir}/b`).arrayBuffer())
    : new Uint8Array();
  return { status: Number(lines[0]!.split(" ")[1]), headers, body };
}

describe("HF-compatible serving", () => {
  test("@huggingface/hub downloadFile, listFiles and modelInfo with hubUrl pointed at the mirror", async () => {
    for (const path of PATHS) {
      const blob = await downloadFile({ repo: REPO, path, hubUrl: base });
      expect(blob).not.toBeNull();
      expect(sha256(new Uint8Array(await blob!.arrayBuffer()))).toBe(fx.sums.get(path)!);
    }
    expect(await downloadFile({ repo: REPO, path: "voices/nobody.bin", hubUrl: base })).toBeNull();
    const listed = [];
    for await (const e of listFiles({ repo: REPO, hubUrl: base, recursive: true })) listed.push(e);
    const files = listed.filter((e) => e.type === "file");
    expect(files.map((e) => e.path).sort()).toEqual([...PATHS].sort());
    for (const e of files)
      expect(e.lfs ? e.lfs.oid : null).toBe(e.path === "config.json" ? null : fx.sums.get(e.path)!);
    expect(
      listed
        .filter((e) => e.type === "directory")
        .map((e) => e.path)
        .sort(),
    ).toEqual(["onnx", "voices"]);
    const top = [];
    for await (const e of listFiles({ repo: REPO, hubUrl: base })) top.push(e.path);
    expect(top.sort()).toEqual(["config.json", "onnx", "voices"]);
    const sub = [];
    for await (const e of listFiles({ repo: REPO, hubUrl: base, path: "voices" })) sub.push(e.path);
    expect(sub.sort()).toEqual(["voices/af_heart.bin", "voices/bm_george.bin", "voices/zf_xiaobei.bin"]);
    const info = await modelInfo({ name: REPO, hubUrl: base, additionalFields: ["sha"] });
    expect((info as { sha?: string }).sha).toBe(hub.commit);
    const plain = (await (await fetch(`${base}/api/models/${REPO}`)).json()) as {
      sha: string;
      siblings: { rfilename: string }[];
    };
    expect(plain.sha).toBe(hub.commit);
    expect(plain.siblings.map((s) => s.rfilename).sort()).toEqual([...PATHS].sort());
  });

  test("curl: HEAD headers, Range slices, If-None-Match, unsatisfiable ranges", async () => {
    const path = "voices/af_heart.bin";
    const whole = fx.files.get(path)!;
    const url = `${base}/${REPO}/resolve/main/${path}`;
    const head = await curl(["-I", url]);
    expect(head.status).toBe(200);
    expect(head.headers["etag"]).toBe(`"${fx.sums.get(path)}"`);
    expect(head.headers["x-repo-commit"]).toBe(hub.commit);
    expect(head.headers["content-length"]).toBe(String(whole.length));
    expect(head.headers["accept-ranges"]).toBe("bytes");
    const mid = await curl(["-r", "1000-1999", url]);
    expect(mid.status).toBe(206);
    expect(mid.headers["content-range"]).toBe(`bytes 1000-1999/${whole.length}`);
    expect(Buffer.from(mid.body).equals(Buffer.from(whole.subarray(1000, 2000)))).toBe(true);
    const tail = await curl(["-r", "-100", url]);
    expect(Buffer.from(tail.body).equals(Buffer.from(whole.subarray(whole.length - 100)))).toBe(true);
    const open = await curl(["-r", `${whole.length - 10}-`, `${base}/${REPO}/resolve/${hub.commit}/${path}`]);
    expect(open.status).toBe(206);
    expect(Buffer.from(open.body).equals(Buffer.from(whole.subarray(whole.length - 10)))).toBe(true);
    expect(open.headers["cache-control"]).toContain("immutable");
    const cached = await curl(["-H", `If-None-Match: "${fx.sums.get(path)}"`, url]);
    expect(cached.status).toBe(304);
    expect(cached.body.length).toBe(0);
    const beyond = await curl(["-r", `${whole.length}-`, url]);
    expect(beyond.status).toBe(416);
    expect(beyond.headers["content-range"]).toBe(`bytes */${whole.length}`);
    const raw = await curl([url.replace("/resolve/", "/raw/")]);
    expect(sha256(raw.body)).toBe(fx.sums.get(path)!);
    const full = await curl([url]);
    expect(sha256(full.body)).toBe(fx.sums.get(path)!);
  });

  test("another mirror syncs from this one as its upstream, verifying everything", async () => {
    const m2 = await startMirror({
      bus: new Bus(new MemoryTransport()),
      db,
      log,
      config: testConfig({
        DATA_DIR: tempDir(),
        MIRROR_UPSTREAMS: base,
        MIRROR_REPOS: `${REPO}@main:${PATHS.join(";")}`,
      }),
    });
    try {
      await m2.syncNow();
      const cur = m2.state.specs[0]!.current!;
      expect(cur.commit).toBe(hub.commit);
      expect(cur.files.map((f) => [f.path, f.sha256, f.upstream]).sort()).toEqual(
        PATHS.map((p) => [p, fx.sums.get(p)!, base]).sort(),
      );
    } finally {
      await m2.stop();
    }
  });

  test("unsafe or unknown requests are refused with clear 4xx answers", async () => {
    const r = `${REPO}/resolve/main`;
    const cases: [string[], number][] = [
      // raw dot segments are resolved by URL parsing before routing (as clients do), so they cannot leave the route
      [["--path-as-is", `${base}/${r}/../../../etc/passwd`], 404],
      [["--path-as-is", `${base}/${r}/../../../../../../../etc/passwd`], 404],
      [[`${base}/${r}/..%2F..%2Fetc%2Fpasswd`], 400],
      [[`${base}/${r}/%2e%2e/config.json`], 404], // %2e%2e is a dot segment to URL parsing too
      [[`${base}/${r}/voices%2F%2e%2e%2Fconfig.json`], 400],
      [[`${base}/${r}/%2Fetc%2Fpasswd`], 400],
      [[`${base}/${r}//etc/passwd`], 400],
      [[`${base}/${r}/voices%5C..%5Cconfig.json`], 400],
      [[`${base}/${REPO}/resolve/..%2F..%2Fmain/config.json`], 400],
      [[`${base}/evil/repo/resolve/main/config.json`], 404],
      [[`${base}/${r}/voices/nobody.bin`], 404],
      [[`${base}/${REPO}/resolve/nope/config.json`], 404],
      [[`${base}/api/models/evil/repo/tree/main`], 404],
      [["-X", "POST", `${base}/${r}/config.json`], 405],
      [[`${base}/${r}/${"a".repeat(5000)}`], 414],
    ];
    for (const [args, status] of cases) {
      const res = await curl(args);
      expect([args.join(" ").slice(0, 120), res.status]).toEqual([args.join(" ").slice(0, 120), status]);
    }
    const missing = await curl([`${base}/${r}/voices/nobody.bin`]);
    expect(missing.headers["x-error-code"]).toBe("EntryNotFound");
    const repo = await curl([`${base}/evil/repo/resolve/main/config.json`]);
    expect(repo.headers["x-error-code"]).toBe("RepoNotFound");
    // still serving
    expect((await curl([`${base}/${r}/config.json`])).status).toBe(200);
  });
});
