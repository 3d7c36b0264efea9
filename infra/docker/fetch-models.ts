/**
 * Init-container helper: copies model files from the kokoro-edge model mirror
 * (Hugging Face-compatible routes) into a local directory before a g2p or
 * synth container starts, so the image never carries model files.
 *
 *   bun infra/docker/fetch-models.ts --mirror http://model-mirror:8081 --dest /models \
 *     onnx-community/Kokoro-82M-v1.0-ONNX@main:onnx/model.onnx \
 *     onnx-community/Kokoro-82M-v1.0-ONNX@main:voices/*.bin
 *
 * Each spec is `repo@revision:glob`. Files are listed with
 * `GET /api/models/{repo}/tree/{revision}?recursive=true`, downloaded with
 * `GET /{repo}/resolve/{revision}/{path}`, checked against the listed size and
 * sha256 (`lfs.oid`) when given, and renamed into place only when complete.
 * The mirror may still be syncing when the pod starts: listing is retried
 * until `--timeout` seconds have passed (404/503 and connection errors).
 * `?repo@revision:glob` is optional (listed once, skipped if absent); a bare
 * `?` (an optional spec the manifests left empty) is nothing to do.
 * `--flat` writes every file as `<dest>/<basename>` instead of its repo path.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, normalize } from "node:path";

export interface FetchSpec {
  repo: string;
  revision: string;
  glob: string;
  /** `?repo@rev:glob`: listed once, skipped with a warning when the mirror does not have it. */
  optional: boolean;
}

export interface TreeEntry {
  type: string;
  path: string;
  size?: number;
  oid?: string;
  lfs?: { oid?: string; size?: number };
}

export function parseSpec(s: string): FetchSpec {
  const t = s.trim();
  const optional = t.startsWith("?");
  const m = /^([^@:\s]+\/[^@:\s]+)@([^:\s]+):(.+)$/.exec(optional ? t.slice(1) : t);
  if (!m) throw new Error(`bad spec "${s}": expected [?]repo@revision:glob, e.g. onnx-community/Kokoro-82M-v1.0-ONNX@main:voices/*.bin`);
  return { repo: m[1]!, revision: m[2]!, glob: m[3]!, optional };
}

/** `*` matches within one path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Refuses paths that would escape the destination directory. */
export function safeJoin(dest: string, path: string): string {
  const rel = normalize(path);
  if (rel.startsWith("..") || rel.startsWith("/") || rel.includes("\0")) throw new Error(`refusing unsafe path from mirror: ${path}`);
  return join(dest, rel);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const enc = (p: string) => p.split("/").map(encodeURIComponent).join("/");

async function listTree(mirror: string, spec: FetchSpec, deadline: number): Promise<TreeEntry[]> {
  const url = `${mirror}/api/models/${spec.repo}/tree/${encodeURIComponent(spec.revision)}?recursive=true`;
  let wait = 500;
  for (;;) {
    let why: string;
    try {
      const res = await fetch(url);
      if (res.ok) return (await res.json()) as TreeEntry[];
      why = `HTTP ${res.status}`;
      if (res.status !== 404 && res.status !== 503 && res.status < 500) throw new Error(`listing ${url}: ${why}: ${await res.text()}`);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("listing ")) throw e;
      why = e instanceof Error ? e.message : String(e);
    }
    if (spec.optional) return [];
    if (Date.now() + wait > deadline) throw new Error(`mirror did not list ${spec.repo}@${spec.revision} in time (last: ${why})`);
    console.error(`[fetch-models] waiting for ${spec.repo}@${spec.revision}: ${why}`);
    await sleep(wait);
    wait = Math.min(wait * 2, 10_000);
  }
}

async function upToDate(file: string, entry: TreeEntry): Promise<boolean> {
  const st = await stat(file).catch(() => undefined);
  if (!st) return false;
  const size = entry.lfs?.size ?? entry.size;
  if (size !== undefined && st.size !== size) return false;
  const want = entry.lfs?.oid;
  if (!want) return size !== undefined;
  const h = createHash("sha256");
  for await (const part of Bun.file(file).stream()) h.update(part);
  return h.digest("hex") === want;
}

async function download(mirror: string, spec: FetchSpec, entry: TreeEntry, file: string): Promise<number> {
  const url = `${mirror}/${spec.repo}/resolve/${encodeURIComponent(spec.revision)}/${enc(entry.path)}`;
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`download ${url}: HTTP ${res.status}`);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.part-${process.pid}`;
  const h = createHash("sha256");
  const w = Bun.file(tmp).writer();
  let n = 0;
  try {
    for await (const part of res.body) {
      h.update(part);
      w.write(part);
      n += part.byteLength;
    }
    await w.end();
    const size = entry.lfs?.size ?? entry.size;
    if (size !== undefined && n !== size) throw new Error(`${entry.path}: got ${n} bytes, listing says ${size}`);
    const sha = h.digest("hex");
    if (entry.lfs?.oid && sha !== entry.lfs.oid) throw new Error(`${entry.path}: sha256 ${sha} does not match listing ${entry.lfs.oid}`);
    await rename(tmp, file);
    return n;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export interface FetchOptions {
  mirror: string;
  dest: string;
  specs: FetchSpec[];
  timeoutS: number;
  /** Write files as <dest>/<basename>. */
  flat?: boolean;
}

export async function fetchModels(o: FetchOptions): Promise<{ files: number; bytes: number; skipped: number }> {
  const mirror = o.mirror.replace(/\/+$/, "");
  const deadline = Date.now() + o.timeoutS * 1000;
  let files = 0;
  let bytes = 0;
  let skipped = 0;
  for (const spec of o.specs) {
    const re = globToRegExp(spec.glob);
    const entries = (await listTree(mirror, spec, deadline)).filter((e) => e.type === "file" && re.test(e.path));
    if (entries.length === 0) {
      if (spec.optional) {
        console.error(`[fetch-models] optional ${spec.repo}@${spec.revision}:${spec.glob} not on the mirror: skipped`);
        continue;
      }
      throw new Error(`no file in ${spec.repo}@${spec.revision} matches ${spec.glob}`);
    }
    for (const entry of entries) {
      const file = safeJoin(o.dest, o.flat ? basename(entry.path) : entry.path);
      if (await upToDate(file, entry)) {
        skipped++;
        continue;
      }
      bytes += await download(mirror, spec, entry, file);
      files++;
    }
  }
  return { files, bytes, skipped };
}

function parseArgs(argv: string[]): FetchOptions {
  let mirror = process.env.MIRROR_URL ?? "";
  let dest = process.env.MODEL_DEST ?? "/models";
  let timeoutS = Number(process.env.FETCH_TIMEOUT_S ?? 900);
  let flat = false;
  let emptyOptional = false;
  const specs: FetchSpec[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--mirror") mirror = argv[++i] ?? "";
    else if (a === "--dest") dest = argv[++i] ?? "";
    else if (a === "--timeout") timeoutS = Number(argv[++i]);
    else if (a === "--flat") flat = true;
    else if (a === "?" || a === "") emptyOptional = true; // an optional spec left empty by the manifests
    else specs.push(parseSpec(a));
  }
  if (!mirror) throw new Error("--mirror (or MIRROR_URL) is required");
  if (!dest) throw new Error("--dest (or MODEL_DEST) is required");
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error("--timeout must be a positive number of seconds");
  if (specs.length === 0 && !emptyOptional) throw new Error("give at least one repo@revision:glob spec");
  return { mirror, dest, specs, timeoutS, flat };
}

if (import.meta.main) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const r = await fetchModels(o);
    console.error(`[fetch-models] ${r.files} downloaded (${(r.bytes / 1e6).toFixed(1)} MB), ${r.skipped} already present, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`[fetch-models] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
