/**
 * infra/docker/fetch-models.ts (g2p's init container) against a local HTTP
 * server that speaks the Hugging Face tree/resolve routes the model mirror
 * serves: downloads and verifies, skips what is already there, waits for a
 * mirror that is still syncing, refuses bad checksums and paths that escape.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchModels, globToRegExp, parseSpec, safeJoin } from "../../infra/docker/fetch-models";
import { repoPath } from "./lib/repo";

const REPO = "onnx-community/Kokoro-82M-v1.0-ONNX";
const files: Record<string, Uint8Array> = {
  "config.json": new TextEncoder().encode(JSON.stringify({ vocab: { a: 1, b: 2 } })),
  "voices/af_heart.bin": new Uint8Array(4096).map((_, i) => i % 251),
  "voices/bm_george.bin": new Uint8Array(2048).map((_, i) => (i * 7) % 253),
  "onnx/model.onnx": new Uint8Array(10_000).map((_, i) => (i * 13) % 255),
};
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
let server: ReturnType<typeof Bun.serve>;
let base = "";
let available = true; // false: the mirror answers 404 (still syncing)
let corrupt = false; // true: resolve serves different bytes than the listing says
let evilPath = false;
const hits: string[] = [];

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      hits.push(url.pathname);
      const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
      if (tree) {
        if (!available || tree[1] !== REPO) return Response.json({ error: "not found" }, { status: 404 });
        const list = Object.entries(files).map(([path, b]) => ({ type: "file", path, size: b.length, oid: "x", lfs: { oid: sha(b), size: b.length } }));
        if (evilPath) list.push({ type: "file", path: "../../etc/passwd", size: 1, oid: "x", lfs: { oid: sha(new Uint8Array(1)), size: 1 } });
        return Response.json([{ type: "directory", path: "voices", size: 0, oid: "d" }, ...list]);
      }
      const res = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
      if (res && res[1] === REPO && files[decodeURIComponent(res[3]!)]) {
        const b = files[decodeURIComponent(res[3]!)]!;
        return new Response((corrupt ? b.map((x) => x ^ 1) : b.slice()).buffer as ArrayBuffer);
      }
      return new Response("not found", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

const tmp = () => mkdtempSync(join(tmpdir(), "fetch-models-"));

test("spec and glob parsing", () => {
  expect(parseSpec(`${REPO}@main:voices/*.bin`)).toEqual({ repo: REPO, revision: "main", glob: "voices/*.bin", optional: false });
  expect(parseSpec(`?a/b@v1.0:x.json`).optional).toBe(true);
  expect(() => parseSpec("no-revision:x")).toThrow(/repo@revision:glob/);
  expect(globToRegExp("voices/*.bin").test("voices/af.bin")).toBe(true);
  expect(globToRegExp("voices/*.bin").test("voices/x/af.bin")).toBe(false);
  expect(globToRegExp("**/*.json").test("a/b/c.json")).toBe(true);
  expect(() => safeJoin("/models", "../etc/passwd")).toThrow(/unsafe/);
});

test("downloads the matching files, verified, and skips them the second time", async () => {
  const dest = tmp();
  try {
    const r = await fetchModels({ mirror: base, dest, timeoutS: 5, specs: [parseSpec(`${REPO}@main:config.json`), parseSpec(`${REPO}@main:voices/*.bin`)] });
    expect(r).toEqual({ files: 3, bytes: files["config.json"]!.length + 4096 + 2048, skipped: 0 });
    expect(readFileSync(join(dest, "voices/af_heart.bin"))).toEqual(Buffer.from(files["voices/af_heart.bin"]!));
    expect(existsSync(join(dest, "onnx"))).toBe(false);
    const again = await fetchModels({ mirror: base, dest, timeoutS: 5, specs: [parseSpec(`${REPO}@main:voices/*.bin`)] });
    expect(again).toEqual({ files: 0, bytes: 0, skipped: 2 });
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

test("waits for a mirror that is still syncing, then gives up at the deadline", async () => {
  const dest = tmp();
  try {
    available = false;
    setTimeout(() => (available = true), 700);
    const r = await fetchModels({ mirror: base, dest, timeoutS: 10, specs: [parseSpec(`${REPO}@main:config.json`)] });
    expect(r.files).toBe(1);
    available = false;
    const t0 = Date.now();
    await expect(fetchModels({ mirror: base, dest, timeoutS: 1, specs: [parseSpec(`${REPO}@main:onnx/*.onnx`)] })).rejects.toThrow(/did not list .* in time \(last: HTTP 404\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  } finally {
    available = true;
    rmSync(dest, { recursive: true, force: true });
  }
});

test("an optional spec the mirror lacks is skipped at once; a required one with no match fails", async () => {
  const dest = tmp();
  try {
    const t0 = Date.now();
    const r = await fetchModels({ mirror: base, dest, timeoutS: 30, specs: [parseSpec("?someone/lexicons@main:*.json"), parseSpec(`?${REPO}@main:nothing/*.txt`)] });
    expect(r).toEqual({ files: 0, bytes: 0, skipped: 0 });
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(fetchModels({ mirror: base, dest, timeoutS: 5, specs: [parseSpec(`${REPO}@main:nothing/*.txt`)] })).rejects.toThrow(/no file .* matches nothing\/\*\.txt/);
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

test("a file whose bytes do not match the listed sha256 is not kept", async () => {
  const dest = tmp();
  try {
    corrupt = true;
    await expect(fetchModels({ mirror: base, dest, timeoutS: 5, specs: [parseSpec(`${REPO}@main:onnx/model.onnx`)] })).rejects.toThrow(/sha256 .* does not match/);
    expect(existsSync(join(dest, "onnx/model.onnx"))).toBe(false);
    expect(readdirSync(join(dest, "onnx"))).toEqual([]); // no partial file left
  } finally {
    corrupt = false;
    rmSync(dest, { recursive: true, force: true });
  }
});

test("a listing that tries to escape the destination is refused", async () => {
  const dest = tmp();
  try {
    evilPath = true;
    await expect(fetchModels({ mirror: base, dest, timeoutS: 5, specs: [parseSpec(`${REPO}@main:**`)] })).rejects.toThrow(/unsafe path/);
  } finally {
    evilPath = false;
    rmSync(dest, { recursive: true, force: true });
  }
});

async function run(args: string[], env: Record<string, string | undefined> = process.env) {
  // Async: the fake mirror lives in this process and must keep answering.
  const p = Bun.spawn([process.execPath, repoPath("infra/docker/fetch-models.ts"), ...args], { env, stdout: "pipe", stderr: "pipe" });
  const [status, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  return { status, stderr };
}

test("the CLI as the init container runs it (empty optional spec, exit codes)", async () => {
  const dest = tmp();
  try {
    const ok = await run(["--mirror", base, "--dest", dest, `${REPO}@main:config.json`, "?"]);
    expect(ok.stderr).toContain("1 downloaded");
    expect(ok.status).toBe(0);
    expect(statSync(join(dest, "config.json")).size).toBe(files["config.json"]!.length);
    // An optional spec the manifests left empty: nothing to do, success.
    const none = await run(["--mirror", base, "--dest", join(dest, "lex"), "--flat", "?"]);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain("0 downloaded");
    // --flat: files land by base name (how LEXICON_DIR wants misaki's *_gold.json).
    const flat = await run(["--mirror", base, "--dest", join(dest, "lex"), "--flat", `?${REPO}@main:voices/*.bin`]);
    expect(flat.status).toBe(0);
    expect(readdirSync(join(dest, "lex")).sort()).toEqual(["af_heart.bin", "bm_george.bin"]);
    const bad = await run(["--dest", dest, `${REPO}@main:config.json`], { ...process.env, MIRROR_URL: "" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--mirror (or MIRROR_URL) is required");
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});
