/**
 * The mirror's HTTP server: health and metrics, and the routes Hugging Face
 * clients use, so huggingface_hub (HF_ENDPOINT), @huggingface/hub (hubUrl)
 * and transformers.js (env.remoteHost) download from it unchanged.
 *
 *   GET|HEAD /{owner}/{name}/resolve/{revision}/{path}   (also /raw/: the bytes are the same)
 *   GET      /api/models/{owner}/{name}[/revision/{revision}]
 *   GET      /api/models/{owner}/{name}/tree/{revision}/{path?}
 *
 * Only blobs in the verified store are ever sent.
 */
import { createHash } from "node:crypto";
import {
  AppError,
  SpanKind,
  decideRange,
  contextFromHeaders,
  endSpanWithBody,
  healthResponse,
  listen,
  openFile,
  toWireError,
  tracer,
  type Logger,
  type Readiness,
} from "@kokoro-edge/runtime";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";
import type { Version, VersionFile } from "./catalog";
import type { MirrorMetrics } from "./metrics";
import { isSafeRepoPath, isValidRevision } from "./specs";
import type { MirrorState } from "./state";
import { lfsPointer } from "./sync";

export interface HttpDeps {
  state: MirrorState;
  metrics: MirrorMetrics;
  log: Logger;
  readiness: () => Readiness | Promise<Readiness>;
  metricsText: () => Promise<string>;
}

const MAX_URL = 4096;

/** HF's error shape: clients read X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound). */
function hfError(err: unknown): Response {
  const w = toWireError(err);
  const hfCode = {
    repo_not_found: "RepoNotFound",
    revision_not_found: "RevisionNotFound",
    file_not_found: "EntryNotFound",
  }[w.code];
  return Response.json(
    { error: w.message, code: w.code },
    {
      status: w.status,
      headers: {
        ...(hfCode ? { "x-error-code": hfCode } : {}),
        "x-error-message": w.message.replace(/[^\x20-\x7e]/g, "?").slice(0, 500),
      },
    },
  );
}

/** Decode one URL path segment; refuse traversal and smuggled separators. */
function segment(raw: string): string {
  let s: string;
  try {
    s = decodeURIComponent(raw);
  } catch {
    throw new AppError(400, "invalid_path", "malformed percent-encoding in the URL");
  }
  if (s === "." || s === ".." || s.includes("/") || s.includes("\\") || s.includes("\0"))
    throw new AppError(400, "invalid_path", "path traversal refused");
  return s;
}

function decodeRevision(raw: string): string {
  let s: string;
  try {
    s = decodeURIComponent(raw);
  } catch {
    throw new AppError(400, "invalid_revision", "malformed percent-encoding in the revision");
  }
  if (!isValidRevision(s)) throw new AppError(400, "invalid_revision", `"${s}" is not a valid revision`);
  return s;
}

function filePath(rawSegs: string[]): string {
  const p = rawSegs.map(segment).join("/");
  if (!isSafeRepoPath(p))
    throw new AppError(400, "invalid_path", "path traversal, absolute or empty paths are refused");
  return p;
}

export const etagOf = (f: VersionFile) => `"${f.sha256}"`;

function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === "*" || v === etag || v === etag.slice(1, -1);
  });
}

function gitOidOf(f: VersionFile): string {
  if (!f.lfs && f.gitOid) return f.gitOid;
  return f.lfs && f.gitOid
    ? f.gitOid
    : createHash("sha1")
        .update(`blob ${Buffer.byteLength(lfsPointer(f.sha256, f.size))}\0${lfsPointer(f.sha256, f.size)}`)
        .digest("hex");
}

/** Tree entries as the HF API lists them. Files without a content git oid are listed as LFS, by sha256. */
function treeEntry(f: VersionFile) {
  const asLfs = f.lfs || !f.gitOid;
  return {
    type: "file" as const,
    oid: gitOidOf(f),
    size: f.size,
    path: f.path,
    ...(asLfs
      ? { lfs: { oid: f.sha256, size: f.size, pointerSize: Buffer.byteLength(lfsPointer(f.sha256, f.size)) } }
      : {}),
  };
}

export function tree(v: Version, dir: string, recursive: boolean) {
  const prefix = dir ? `${dir}/` : "";
  const under = v.files.filter((f) => f.path.startsWith(prefix));
  if (dir && under.length === 0)
    throw new AppError(404, "file_not_found", `${v.repo}@${v.commit.slice(0, 12)} has no folder ${dir}`);
  const dirs = new Set<string>();
  const out: unknown[] = [];
  for (const f of under) {
    const rest = f.path.slice(prefix.length);
    const parts = rest.split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = prefix + parts.slice(0, i).join("/");
      if (!recursive && i > 1) break;
      if (!dirs.has(d)) {
        dirs.add(d);
        out.push({
          type: "directory",
          oid: createHash("sha1").update(`tree:${v.commit}:${d}`).digest("hex"),
          size: 0,
          path: d,
        });
      }
    }
    if (recursive || parts.length === 1) out.push(treeEntry(f));
  }
  return out;
}

/** A Hugging Face route this mirror answers (the gateway mounts them on its own port in the one-process setup). */
export function isHubPath(pathname: string): boolean {
  const raw = pathname.split("/").slice(1);
  if (raw[0] === "api" && raw[1] === "models") return true;
  const r = raw[0] === "models" ? raw.slice(1) : raw;
  return r.length >= 5 && (r[2] === "resolve" || r[2] === "raw");
}

/**
 * The mirror's HTTP routes as one fetch handler: health, metrics and the
 * Hugging Face routes (`health: false` leaves out /healthz, /readyz and
 * /metrics, for a host that has its own).
 */
export function mirrorHttpHandler(
  deps: HttpDeps,
  opts: { health?: boolean } = {},
): (req: Request) => Promise<Response> {
  const { state, metrics, log } = deps;
  const withHealth = opts.health ?? true;

  async function route(req: Request, url: URL): Promise<{ res: Response; route: string }> {
    const path = url.pathname;
    if (withHealth && (path === "/healthz" || path === "/readyz" || path === "/metrics")) {
      const r = path === "/readyz" ? await deps.readiness() : undefined;
      return { res: (await healthResponse(path, r, deps.metricsText))!, route: path };
    }
    if (req.method !== "GET" && req.method !== "HEAD")
      return {
        res: hfError(
          new AppError(405, "method_not_allowed", `${req.method} is not allowed; this mirror is read-only`),
        ),
        route: "other",
      };
    if (req.url.length > MAX_URL)
      return { res: hfError(new AppError(414, "uri_too_long", "URL too long")), route: "other" };
    const raw = path.split("/").slice(1);
    try {
      // /api/models/{owner}/{name}/(revision|tree)/{revision}/...
      // /api/models/{owner}/{name}: the same as /revision/HEAD
      const api =
        raw[0] === "api" && raw[1] === "models" && raw.length === 4 ? [...raw, "revision", "HEAD"] : raw;
      if (api[0] === "api" && api[1] === "models" && api.length >= 6) {
        const repo = `${segment(api[2]!)}/${segment(api[3]!)}`;
        const kind = api[4];
        const revision = decodeRevision(api[5]!);
        state.checkRepo(repo);
        const v = await state.findVersion(repo, revision);
        if (kind === "revision" && api.length === 6) {
          return {
            route: "api_revision",
            res: Response.json({
              _id: createHash("sha1").update(repo).digest("hex").slice(0, 24),
              id: repo,
              modelId: repo,
              sha: v.commit,
              private: false,
              gated: false,
              disabled: false,
              downloads: 0,
              likes: 0,
              tags: [],
              lastModified: v.completedAt.toISOString(),
              siblings: v.files.map((f) => ({ rfilename: f.path })),
            }),
          };
        }
        if (kind === "tree") {
          const dir =
            api.length > 6 && api.slice(6).join("") !== ""
              ? filePath(api.slice(6).filter((s, i, a) => s !== "" || i < a.length - 1))
              : "";
          return {
            route: "api_tree",
            res: Response.json(
              tree(
                v,
                dir,
                url.searchParams.get("recursive") === "true" || url.searchParams.get("recursive") === "1",
              ),
            ),
          };
        }
      }
      // /{owner}/{name}/resolve/{revision}/{path...}  (also with a models/ prefix)
      const r = raw[0] === "models" ? raw.slice(1) : raw;
      if (r.length >= 5 && (r[2] === "resolve" || r[2] === "raw")) {
        const repo = `${segment(r[0]!)}/${segment(r[1]!)}`;
        state.checkRepo(repo);
        const revision = decodeRevision(r[3]!);
        const p = filePath(r.slice(4));
        const v = await state.findVersion(repo, revision);
        return { route: "resolve", res: await serveBlob(req, v, state.file(v, p)) };
      }
      return { route: "other", res: hfError(new AppError(404, "not_found", `no route ${path}`)) };
    } catch (err) {
      if (!(err instanceof AppError)) log.error("request failed", { path, err });
      return { route: "error", res: hfError(err) };
    }
  }

  async function serveBlob(req: Request, v: Version, f: VersionFile): Promise<Response> {
    const blob = state.store.blobPath(f.sha256);
    const file = await openFile(blob);
    if (state.quarantined.has(f.sha256) || !file.exists || file.size !== f.size) {
      throw new AppError(
        503,
        "file_unavailable",
        `${f.path} is not in this mirror's verified store right now (being fetched again)`,
      );
    }
    const etag = etagOf(f);
    const headers: Record<string, string> = {
      etag,
      "x-repo-commit": v.commit,
      "accept-ranges": "bytes",
      "content-type": "application/octet-stream",
      "cache-control":
        /^[0-9a-f]{40}$/.test(v.commit) && req.url.includes(`/resolve/${v.commit}/`)
          ? "public, max-age=31536000, immutable"
          : "public, max-age=60",
      "content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(f.path.split("/").pop()!)}`,
      "x-sha256": f.sha256,
    };
    if (ifNoneMatch(req.headers.get("if-none-match"), etag))
      return new Response(null, { status: 304, headers });
    const d = decideRange(req.headers.get("range"), req.headers.get("if-range"), f.size, { etag });
    if (d.kind === "unsatisfiable")
      return new Response(null, {
        status: 416,
        headers: { ...headers, "content-range": `bytes */${f.size}` },
      });
    const head = req.method === "HEAD";
    const range = d.kind === "partial" ? d : undefined;
    if (range) {
      const len = range.end - range.start + 1;
      if (!head) metrics.bytesServed.inc(len);
      return new Response(head ? null : file.body(range.start, range.end + 1), {
        status: 206,
        headers: {
          ...headers,
          "content-range": `bytes ${range.start}-${range.end}/${f.size}`,
          "content-length": String(len),
        },
      });
    }
    if (!head) metrics.bytesServed.inc(f.size);
    return new Response(head ? null : file.body(), {
      status: 200,
      headers: { ...headers, "content-length": String(f.size) },
    });
  }

  // One span per request: a SERVER span continuing the caller's trace when this is the
  // mirror's own server, an INTERNAL one under the host's span when mounted (one port).
  const httpTracer = tracer("model-mirror");
  return async (req) => {
    const url = new URL(req.url);
    const parent = withHealth ? contextFromHeaders(Object.fromEntries(req.headers)) : context.active();
    const span = httpTracer.startSpan(
      `${req.method} ${url.pathname}`,
      {
        kind: withHealth ? SpanKind.SERVER : SpanKind.INTERNAL,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: url.pathname },
      },
      parent,
    );
    const { res, route: name } = await context.with(trace.setSpan(parent, span), () => route(req, url));
    metrics.httpRequests.inc({ route: name, status: String(res.status) });
    span.updateName(`${req.method} ${name}`);
    span.setAttribute(ATTR_HTTP_ROUTE, name);
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.status);
    if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    // Blobs have a length and are sent by the runtime from the file (sendfile): the span
    // records their size and ends here. A body of unknown length is watched to its end.
    if (res.body && !res.headers.has("content-length")) return endSpanWithBody(res, span);
    span.end();
    return res;
  };
}

/** The separate mirror service's own HTTP server (MIRROR_PORT). */
export function startHttp(deps: HttpDeps, opts: { port: number; hostname: string }) {
  const handle = mirrorHttpHandler(deps);
  const server = listen({
    port: opts.port,
    hostname: opts.hostname,
    portVariable: "MIRROR_PORT",
    maxRequestBodySize: 64 * 1024,
    fetch: handle,
    error(err) {
      deps.log.error("http server error", { err });
      return hfError(err);
    },
  });
  return { port: server.port, stop: () => server.stop(true) };
}
