/**
 * A local fake Hugging Face hub for tests: the parts of the HF API the mirror
 * uses (revision info, recursive tree listing, resolve with the LFS redirect
 * to a separate CDN host, Range on the CDN), with faults injected per file.
 * Plain node:http so a fault can cut a body mid-way or hang for real.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gitSha1, sha256 } from "./helpers";

export type Fault =
  | { kind: "status"; status: number; retryAfter?: string }
  /** Never answer (until the server stops). */
  | { kind: "hang" }
  /** Send the headers with the full Content-Length, then `bytes` bytes, then cut the connection. */
  | { kind: "truncate"; bytes: number }
  /** Send `bytes` bytes, then stall without closing. */
  | { kind: "stall"; bytes: number }
  /** The right length, different bytes. */
  | { kind: "wrong_bytes" }
  /** Extra bytes after the real ones (Content-Length says so too). */
  | { kind: "wrong_length"; extra: number }
  /** Send slowly: `chunk` bytes every `everyMs`. */
  | { kind: "slow"; chunk: number; everyMs: number };

export interface HubRequest {
  method: string;
  path: string;
  range?: string;
  host: "hub" | "cdn";
}

export interface FakeHubOptions {
  repo: string;
  files: Map<string, Uint8Array>;
  /** Files served through the LFS redirect (default: .bin and .onnx). */
  isLfs?: (path: string) => boolean;
  /** Ignore Range requests (answer 200 with the whole file). */
  noRange?: boolean;
  /** Files listed as Xet-only: `xetHash` and the pointer's oid, no LFS sha256. */
  xetOnly?: Set<string>;
  /** More repos on the same hub, each at a fixed commit (no faults injected there). */
  others?: Record<string, { commit: string; files: Map<string, Uint8Array> }>;
}

export class FakeHub {
  commit = randomBytes(20).toString("hex");
  readonly requests: HubRequest[] = [];
  /** path -> faults applied in turn to successive downloads of that file; the last one sticks when `sticky`. */
  readonly faults = new Map<string, { list: Fault[]; sticky: boolean }>();
  /** Fault for the /api routes. */
  apiFault?: Fault;
  private hub!: Server;
  private cdn!: Server;
  private hanging = new Set<ServerResponse>();
  url = "";
  cdnUrl = "";

  constructor(readonly opts: FakeHubOptions) {}

  isLfs(path: string) {
    return (this.opts.isLfs ?? ((p) => p.endsWith(".bin") || p.endsWith(".onnx")))(path);
  }

  /** Faults for successive downloads of `path` (hub or CDN, whichever serves its bytes). */
  inject(path: string, faults: Fault[], sticky = false) {
    this.faults.set(path, { list: [...faults], sticky });
  }

  private nextFault(path: string): Fault | undefined {
    const f = this.faults.get(path);
    if (!f || f.list.length === 0) return undefined;
    return f.sticky && f.list.length === 1 ? f.list[0] : f.list.shift();
  }

  downloads(path: string) {
    return this.requests.filter(
      (r) =>
        r.path.endsWith(`/${path}`) ||
        r.path.includes(`/${sha256(this.opts.files.get(path) ?? new Uint8Array())}`),
    );
  }

  async start() {
    this.hub = createServer((req, res) => void this.handleHub(req, res));
    this.cdn = createServer((req, res) => void this.handleCdn(req, res));
    await Promise.all([listen(this.hub), listen(this.cdn)]);
    this.url = `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
    this.cdnUrl = `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
    return this;
  }

  async stop() {
    for (const r of this.hanging) r.destroy();
    this.hub.closeAllConnections();
    this.cdn.closeAllConnections();
    await Promise.all([new Promise((r) => this.hub.close(r)), new Promise((r) => this.cdn.close(r))]);
  }

  tree(files: Map<string, Uint8Array> = this.opts.files) {
    return [...files].map(([path, bytes]) =>
      this.opts.xetOnly?.has(path)
        ? {
            type: "file",
            oid: createHash("sha1").update(`pointer:${path}`).digest("hex"),
            size: bytes.byteLength,
            path,
            xetHash: createHash("sha256").update(`xet:${path}`).digest("hex"),
          }
        : this.isLfs(path)
          ? {
              type: "file",
              oid: createHash("sha1").update(`pointer:${path}`).digest("hex"),
              size: bytes.byteLength,
              path,
              lfs: { oid: sha256(bytes), size: bytes.byteLength, pointerSize: 134 },
            }
          : { type: "file", oid: gitSha1(bytes), size: bytes.byteLength, path },
    );
  }

  /** The repo a path names (`/api/models/{repo}/...` or `/{repo}/resolve/...`), with its commit and files. */
  private repoOf(
    p: string,
  ): { repo: string; commit: string; files: Map<string, Uint8Array>; main: boolean } | undefined {
    const m = /^\/(?:api\/models\/)?([^/]+\/[^/]+)\//.exec(p);
    if (!m) return undefined;
    if (m[1] === this.opts.repo)
      return { repo: this.opts.repo, commit: this.commit, files: this.opts.files, main: true };
    const o = this.opts.others?.[m[1]!];
    return o ? { repo: m[1]!, commit: o.commit, files: o.files, main: false } : undefined;
  }

  private async handleHub(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, "http://x");
    this.requests.push({ method: req.method!, path: url.pathname, range: req.headers.range, host: "hub" });
    const p = decodeURIComponent(url.pathname);
    const r = this.repoOf(p);
    // HF answers 401 for a repo it does not know (it will not say whether a private one exists)
    if (!r) return json(res, { error: "Repository not found" }, 401, { "x-error-code": "RepoNotFound" });
    const api = `/api/models/${r.repo}/`;
    if (p.startsWith(api)) {
      if (r.main && this.apiFault && (await this.applyStatusFault(this.apiFault, res))) return;
      const rest = p.slice(api.length);
      if (rest.startsWith("revision/"))
        return json(res, {
          _id: "x".repeat(24),
          id: r.repo,
          sha: r.commit,
          private: false,
          siblings: [...r.files.keys()].map((rfilename) => ({ rfilename })),
        });
      if (rest.startsWith("tree/")) return json(res, this.tree(r.files));
      return json(res, { error: "not found" }, 404);
    }
    const m = new RegExp(`^/${r.repo}/resolve/([^/]+)/(.+)$`).exec(p);
    if (!m) return json(res, { error: "not found" }, 404);
    const [, rev, path] = m;
    if (rev !== r.commit && rev !== "main")
      return json(res, { error: "revision not found" }, 404, { "x-error-code": "RevisionNotFound" });
    const bytes = r.files.get(path!);
    if (!bytes) return json(res, { error: "entry not found" }, 404, { "x-error-code": "EntryNotFound" });
    if (this.isLfs(path!)) {
      // statuses and hangs happen at the hub, byte faults at the CDN
      const f = this.faults.get(path!)?.list[0];
      if (r.main && f && (f.kind === "status" || f.kind === "hang"))
        return this.serveBytes(req, res, path!, bytes);
      res.writeHead(302, {
        location: `${this.cdnUrl}/repos/${sha256(bytes)}?path=${encodeURIComponent(path!)}&repo=${encodeURIComponent(r.repo)}`,
        "x-linked-size": String(bytes.byteLength),
        "x-linked-etag": `"${sha256(bytes)}"`,
        "x-repo-commit": r.commit,
      });
      return res.end();
    }
    return this.serveBytes(req, res, path!, bytes);
  }

  private async handleCdn(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, "http://x");
    this.requests.push({ method: req.method!, path: url.pathname, range: req.headers.range, host: "cdn" });
    const path = url.searchParams.get("path") ?? "";
    const repo = url.searchParams.get("repo") ?? this.opts.repo;
    const bytes = (repo === this.opts.repo ? this.opts.files : this.opts.others?.[repo]?.files)?.get(path);
    if (!bytes || url.pathname !== `/repos/${sha256(bytes)}`)
      return json(res, { error: "no such object" }, 404);
    return this.serveBytes(req, res, path, bytes);
  }

  private async applyStatusFault(f: Fault, res: ServerResponse): Promise<boolean> {
    if (f.kind === "status") {
      json(
        res,
        { error: `injected ${f.status}` },
        f.status,
        f.retryAfter ? { "retry-after": f.retryAfter } : {},
      );
      return true;
    }
    if (f.kind === "hang") {
      this.hanging.add(res);
      return true;
    }
    return false;
  }

  private async serveBytes(req: IncomingMessage, res: ServerResponse, path: string, original: Uint8Array) {
    const fault = this.nextFault(path);
    if (fault && (await this.applyStatusFault(fault, res))) return;
    let bytes = original;
    if (fault?.kind === "wrong_bytes") {
      bytes = new Uint8Array(original);
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = bytes[i]! ^ 0x5a;
    }
    if (fault?.kind === "wrong_length") bytes = Buffer.concat([original, new Uint8Array(fault.extra)]);
    let start = 0;
    let status = 200;
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      etag: `"${sha256(original)}"`,
      "x-repo-commit": this.commit,
    };
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range && !this.opts.noRange) {
      start = Number(range[1]);
      status = 206;
      headers["content-range"] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    }
    const body = bytes.subarray(start);
    headers["content-length"] = String(body.length);
    res.writeHead(status, headers);
    if (req.method === "HEAD") return res.end();
    if (fault?.kind === "truncate") {
      res.write(body.subarray(0, fault.bytes));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (fault?.kind === "stall") {
      res.write(body.subarray(0, fault.bytes));
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === "slow") {
      this.hanging.add(res);
      for (let off = 0; off < body.length && !res.destroyed; off += fault.chunk) {
        res.write(body.subarray(off, off + fault.chunk));
        await Bun.sleep(fault.everyMs);
      }
      this.hanging.delete(res);
      return res.end();
    }
    res.end(body);
  }
}

function listen(s: Server) {
  return new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
}

function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
