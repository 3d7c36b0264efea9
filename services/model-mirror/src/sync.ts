/**
 * One sync of one configured repo revision: resolve it to a commit, list its
 * files, fetch what the store lacks (verified, with failover), and record the
 * version in one transaction once every file is in. A run that cannot finish
 * leaves the previous version serving.
 */
import type { Logger } from "@kokoro-edge/runtime";
import type { Catalog, Version, VersionFile } from "./catalog";
import { fetchFile, FetchFailed, type FetchContext } from "./fetcher";
import { isGlob, matcher } from "./glob";
import type { RepoSpec } from "./specs";
import { UpstreamError, type RemoteFile, type RemoteListing, type Upstream } from "./upstream";

export interface SyncContext extends FetchContext {
  catalog: Catalog;
  instance: string;
  concurrency: number;
  /** Plain HTTPS sources that only pinned specs use, after the upstreams. */
  pinnedUpstreams?: Upstream[];
}

export interface SyncResult {
  outcome: "complete" | "unchanged" | "failed";
  version?: Version;
  /** Every cause, for logs and the sync-run row. */
  detail: string;
  /** A few words a person can act on ("huggingface.co is unreachable"). */
  summary: string;
  filesFetched: number;
  bytesFetched: number;
}

/** Git's pointer file for an LFS object, whose blob sha1 HF lists as the file's oid. */
export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

/** An upstream as a person names it: the host of a URL, the folder of a file:// upstream. */
export function upstreamLabel(name: string): string {
  try {
    const u = new URL(name);
    return u.protocol === "file:" ? decodeURIComponent(u.pathname) : u.host;
  } catch {
    return name;
  }
}

function failureWords(kind: UpstreamError["kind"] | "resting", what: string): string {
  switch (kind) {
    case "resting":
      return "is resting after failures";
    case "integrity":
      return "sent bytes that failed verification";
    case "truncated":
      return "broke off the transfer";
    case "unreachable":
      return "is unreachable";
    case "timeout":
      return "timed out";
    case "not_found":
      return `has no ${what}`;
    case "rate_limited":
      return "is rate-limiting requests";
    case "http_5xx":
      return "is failing (HTTP 5xx)";
    case "http_4xx":
      return "refused access (private or gated repo? set HF_TOKEN)";
    default:
      return `gave a bad listing (${kind})`;
  }
}

/** A pinned spec lists itself: its commit and every file's sha256 are in the configuration. */
function pinnedListing(spec: RepoSpec): RemoteListing {
  return {
    commit: spec.revision,
    files: Object.entries(spec.pinned!).map(([path, sha256]) => ({
      path,
      size: 0,
      sizeTrusted: false,
      sha256,
      lfs: false,
    })),
  };
}

/** HF-compatible listings first (they carry git checksums), local folders only when none answers. */
async function resolveListing(
  ctx: SyncContext,
  spec: RepoSpec,
  log: Logger,
): Promise<{ listing: RemoteListing; from: { name: string } } | { error: string; summary: string }> {
  if (spec.pinned) return { listing: pinnedListing(spec), from: { name: "pinned" } };
  const errors: string[] = [];
  const short: string[] = [];
  const ordered = [
    ...ctx.upstreams.filter((u) => u.kind === "hf"),
    ...ctx.upstreams.filter((u) => u.kind === "folder"),
  ];
  for (const up of ordered) {
    if (!ctx.breakers.available(up.name)) {
      errors.push(
        `${up.name}: skipped (circuit open or Retry-After for ${Math.ceil(ctx.breakers.waitMs(up.name) / 1000)} s)`,
      );
      short.push(`${upstreamLabel(up.name)} is resting after failures`);
      continue;
    }
    try {
      const listing = await up.list(spec.repo, spec.revision);
      ctx.breakers.success(up.name);
      return { listing, from: up };
    } catch (err) {
      const e =
        err instanceof UpstreamError
          ? err
          : new UpstreamError("unreachable", `${up.name}: ${(err as Error)?.message ?? err}`);
      errors.push(e.message);
      short.push(`${upstreamLabel(up.name)} ${failureWords(e.kind, spec.repo)}`);
      ctx.metrics.upstreamFailures.inc({ upstream: up.name, reason: e.kind });
      log.debug("listing failed on an upstream", { upstream: up.name, reason: e.kind, detail: e.message });
      if (e.countsAgainstUpstream || e.opts.retryAfterMs !== undefined)
        ctx.breakers.failure(up.name, e.message, e.opts.retryAfterMs);
    }
  }
  return {
    error: `every upstream failed to list ${spec.repo}@${spec.revision}: ${errors.join("; ")}`,
    summary: short.join(", ") || "no upstream is configured",
  };
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (t: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = { status: "fulfilled", value: await fn(items[i]!) };
      } catch (reason) {
        out[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function syncSpec(
  ctx: SyncContext,
  spec: RepoSpec,
  current: Version | undefined,
): Promise<SyncResult> {
  const log = ctx.log.child({ repo: spec.repo, revision: spec.revision });
  const runId = await ctx.catalog.startRun(spec.repo, spec.revision, ctx.instance);
  const finish = async (r: SyncResult & { commit?: string }) => {
    await ctx.catalog.finishRun(runId, {
      outcome: r.outcome,
      commit: r.commit ?? r.version?.commit,
      filesFetched: r.filesFetched,
      bytesFetched: r.bytesFetched,
      detail: r.detail,
    });
    ctx.metrics.syncRuns.inc({ repo: spec.repo, outcome: r.outcome });
    return r;
  };

  const resolved = await resolveListing(ctx, spec, log);
  if ("error" in resolved)
    return finish({
      outcome: "failed",
      detail: resolved.error,
      summary: resolved.summary,
      filesFetched: 0,
      bytesFetched: 0,
    });
  const { listing, from } = resolved;

  const wanted = matcher(spec.patterns);
  const files = listing.files.filter((f) => wanted(f.path));
  const missing = spec.patterns.filter((p) => !isGlob(p) && !files.some((f) => f.path === p));
  // A listing without what the spec names is a failed sync of that commit, nothing fetched.
  const refused = (detail: string) =>
    finish({
      outcome: "failed",
      commit: listing.commit,
      detail,
      summary: detail,
      filesFetched: 0,
      bytesFetched: 0,
    });
  if (missing.length)
    return refused(`${spec.repo}@${listing.commit} (from ${from.name}) has no ${missing.join(", ")}`);
  if (files.length === 0)
    return refused(`no file of ${spec.repo}@${listing.commit} matches ${spec.patterns.join(";")}`);

  if (
    current &&
    current.commit === listing.commit &&
    current.files.length === files.length &&
    current.files.every((f) => ctx.store.has(f.sha256, f.size))
  ) {
    const detail = `${spec.repo}@${spec.revision} is still ${listing.commit}`;
    return finish({
      outcome: "unchanged",
      version: current,
      detail,
      summary: detail,
      filesFetched: 0,
      bytesFetched: 0,
    });
  }
  log.info("syncing", { commit: listing.commit, files: files.length, listed_by: from.name });

  const known = new Map(current?.files.filter((f) => !f.lfs && f.gitOid).map((f) => [f.gitOid!, f]) ?? []);
  // Pinned files may come from any source; the others only from hubs and folders that list them.
  const fetchCtx: FetchContext = spec.pinned
    ? { ...ctx, upstreams: [...ctx.upstreams, ...(ctx.pinnedUpstreams ?? [])] }
    : ctx;
  for (const f of files)
    if (!(f.sha256 && ctx.store.has(f.sha256, f.sizeTrusted === false ? undefined : f.size)))
      ctx.progress?.expect(f.path, f.sizeTrusted === false ? undefined : f.size);
  const results = await mapLimit(
    files,
    ctx.concurrency,
    async (f: RemoteFile): Promise<Omit<VersionFile, "fetchedAt"> & { bytes: number }> => {
      // A small file identified by its git oid may already be stored under its sha256.
      if (!f.sha256 && f.gitOid) {
        const sha = known.get(f.gitOid)?.sha256 ?? (await ctx.catalog.sha256ForGitOid(f.gitOid));
        if (sha && ctx.store.has(sha, f.size)) {
          ctx.progress?.finished(f.path, f.size);
          return {
            path: f.path,
            size: f.size,
            sha256: sha,
            gitOid: f.gitOid,
            lfs: false,
            upstream: "store",
            bytes: 0,
          };
        }
      }
      const got = await fetchFile(fetchCtx, spec.repo, listing.commit, f);
      const prev = current?.files.find((p) => p.sha256 === got.sha256);
      const upstream = got.upstream === "store" ? (prev?.upstream ?? "store") : got.upstream;
      const gitOid = f.lfs ? (f.gitOid ?? null) : (got.gitSha1 ?? f.gitOid ?? prev?.gitOid ?? null);
      return {
        path: f.path,
        size: got.size,
        sha256: got.sha256,
        gitOid,
        lfs: f.lfs,
        upstream,
        bytes: got.bytes,
      };
    },
  );

  const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const filesFetched = ok.filter((f) => f.bytes > 0).length;
  const bytesFetched = ok.reduce((n, f) => n + f.bytes, 0);
  if (failed.length) {
    const msgs = failed.map((e) => (e instanceof FetchFailed ? e.message : `${(e as Error)?.message ?? e}`));
    const detail = `${failed.length} of ${files.length} files of ${spec.repo}@${listing.commit} could not be fetched and verified: ${msgs.slice(0, 3).join(" | ")}${msgs.length > 3 ? ` | and ${msgs.length - 3} more` : ""}`;
    const f0 = failed[0];
    const first =
      f0 instanceof FetchFailed && f0.causes.length
        ? `${f0.path}: ${[...new Set(f0.causes.map((c) => `${upstreamLabel(c.upstream)} ${failureWords(c.kind, f0.path)}`))].join(", ")}`
        : msgs[0]!.slice(0, 300);
    const summary = `${failed.length} of ${files.length} files could not be fetched and verified (${first})`;
    return finish({ outcome: "failed", commit: listing.commit, detail, summary, filesFetched, bytesFetched });
  }
  const version = await ctx.catalog.recordVersion({
    repo: spec.repo,
    revision: spec.revision,
    commit: listing.commit,
    resolvedFrom: from.name,
    files: ok.map(({ bytes: _b, ...f }) => f),
  });
  log.info("version complete", {
    commit: listing.commit,
    files: ok.length,
    files_fetched: filesFetched,
    bytes_fetched: bytesFetched,
  });
  const detail = `${spec.repo}@${spec.revision} = ${listing.commit}: ${ok.length} files verified`;
  return finish({ outcome: "complete", version, detail, summary: detail, filesFetched, bytesFetched });
}
