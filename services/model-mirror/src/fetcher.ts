/**
 * Download one file into the store, trying the upstreams in order. A failed
 * or truncated transfer leaves its temp file for the next upstream to resume
 * with Range; bytes that fail verification are thrown away and fetched again
 * elsewhere. Nothing reaches `blobs/` unverified.
 */
import type { Logger } from "@kokoro-edge/runtime";
import type { CircuitBreakers } from "./breaker";
import type { MirrorMetrics } from "./metrics";
import type { DownloadProgress } from "./progress";
import { IntegrityError, type BlobStore } from "./store";
import { UpstreamError, type FailureKind, type RemoteFile, type Upstream } from "./upstream";

export interface FetchContext {
  store: BlobStore;
  upstreams: Upstream[];
  breakers: CircuitBreakers;
  metrics: MirrorMetrics;
  log: Logger;
  maxFileBytes: number;
  /** Longest Retry-After worth waiting for when no other upstream can serve. */
  maxRetryAfterMs: number;
  /** Stops waits early (shutdown). */
  signal?: AbortSignal;
  /** Told of every byte that arrives (the sync's progress line). */
  progress?: DownloadProgress;
}

export interface Fetched {
  sha256: string;
  size: number;
  /** Git blob sha1 of the content (undefined when the bytes were already stored). */
  gitSha1?: string;
  /** The upstream that delivered the verified bytes; "store" when they were already there. */
  upstream: string;
  bytes: number;
}

export class FetchFailed extends Error {
  constructor(
    readonly path: string,
    readonly attempts: string[],
    /** Per attempt: which upstream, and how it failed (for a short summary). */
    readonly causes: { upstream: string; kind: FailureKind | "resting" }[] = [],
  ) {
    super(
      `${path}: no upstream delivered verified bytes (${attempts.join("; ") || "no upstream available"})`,
    );
    this.name = "FetchFailed";
  }
}

const inflight = new Map<string, Promise<Fetched>>();

/** The temp-file key: what the bytes should hash to. */
export const tempKey = (f: RemoteFile) => (f.sha256 ? f.sha256 : `git-${f.gitOid}`);

export function fetchFile(
  ctx: FetchContext,
  repo: string,
  commit: string,
  file: RemoteFile,
): Promise<Fetched> {
  const key = `${ctx.store.root}|${tempKey(file)}`;
  const running = inflight.get(key);
  if (running) return running;
  const p = doFetch(ctx, repo, commit, file).finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

async function doFetch(ctx: FetchContext, repo: string, commit: string, file: RemoteFile): Promise<Fetched> {
  const trusted = file.sizeTrusted !== false;
  if (trusted && file.size > ctx.maxFileBytes)
    throw new FetchFailed(file.path, [
      `${file.size} bytes is over MIRROR_MAX_FILE_BYTES (${ctx.maxFileBytes})`,
    ]);
  const stored = file.sha256 ? ctx.store.sizeOf(file.sha256) : undefined;
  if (stored !== undefined && (!trusted || stored === file.size)) {
    ctx.progress?.finished(file.path, stored);
    return { sha256: file.sha256!, size: stored, upstream: "store", bytes: 0 };
  }
  if (file.unverifiable || (!file.sha256 && !file.gitOid))
    throw new FetchFailed(file.path, [
      file.unverifiable ?? "the listing gives no checksum to verify it against",
    ]);

  const partial = await ctx.store.begin(tempKey(file), {
    size: trusted ? file.size : undefined,
    maxSize: ctx.maxFileBytes,
    sha256: file.sha256,
    gitSha1: file.sha256 ? undefined : file.gitOid,
  });
  const attempts: string[] = [];
  const causes: { upstream: string; kind: FailureKind | "resting" }[] = [];
  const log = ctx.log.child({ repo, path: file.path });
  if (partial.offset > 0)
    log.info("resuming an interrupted download", { offset: partial.offset, size: file.size });
  /** Which upstream wrote the bytes now in the temp file (undefined = a previous process). */
  let partialFrom: string | undefined = partial.offset > 0 ? "(earlier run)" : undefined;
  try {
    for (let round = 0; round < 2 && !ctx.signal?.aborted; round++) {
      for (let i = 0; i < ctx.upstreams.length && !ctx.signal?.aborted; i++) {
        const up = ctx.upstreams[i]!;
        if (!ctx.breakers.available(up.name)) {
          attempts.push(
            `${up.name}: skipped (${ctx.breakers.isOpen(up.name) ? "circuit open" : "Retry-After"} for ${Math.ceil(ctx.breakers.waitMs(up.name) / 1000)} s)`,
          );
          causes.push({ upstream: up.name, kind: "resting" });
          continue;
        }
        let received = 0;
        try {
          try {
            if (!trusted || partial.offset < file.size) {
              const opened = await up.open(repo, commit, file.path, partial.offset, ctx.signal);
              const onStop = () => opened.cancel();
              ctx.signal?.addEventListener("abort", onStop, { once: true });
              if (opened.offset !== partial.offset) {
                if (partial.offset > 0)
                  log.info("upstream ignored the Range request; starting over", { upstream: up.name });
                await partial.reset();
              }
              if (partial.offset === 0) partialFrom = up.name;
              ctx.progress?.started(file.path, partial.offset);
              try {
                for await (const chunk of opened.body as unknown as AsyncIterable<Uint8Array>) {
                  await partial.write(chunk);
                  received += chunk.byteLength;
                  ctx.progress?.received(file.path, chunk.byteLength);
                }
              } catch (err) {
                opened.cancel();
                throw err;
              } finally {
                ctx.signal?.removeEventListener("abort", onStop);
              }
              if (trusted && partial.offset < file.size)
                throw new UpstreamError(
                  "truncated",
                  `${up.name}: ${file.path}: body ended at ${partial.offset} of ${file.size} bytes`,
                );
            }
            const { sha256, gitSha1, size } = await partial.commit();
            ctx.progress?.finished(file.path, size);
            ctx.breakers.success(up.name);
            // Bytes that were all in before this upstream was asked came from whoever wrote them.
            const source = received === 0 && partialFrom ? partialFrom : up.name;
            ctx.metrics.filesFetched.inc({ upstream: source });
            return { sha256, gitSha1, size, upstream: source, bytes: received };
          } catch (err) {
            if (err instanceof IntegrityError) {
              const startedBy = partialFrom;
              const mixed = startedBy !== undefined && startedBy !== up.name;
              await partial.reset();
              ctx.progress?.reset(file.path);
              partialFrom = undefined;
              const msg = `${up.name}: ${file.path} failed verification: ${err.message}`;
              attempts.push(msg);
              causes.push({ upstream: up.name, kind: "integrity" });
              ctx.metrics.upstreamFailures.inc({ upstream: up.name, reason: "integrity" });
              log.warn("discarded bytes that failed verification", {
                upstream: up.name,
                reason: err.reason,
                detail: err.message,
                ...(mixed ? { transfer_started_by: startedBy } : {}),
              });
              if (mixed) {
                // The bad bytes may have come from the upstream that started the
                // transfer: give this one a clean try before blaming it.
                i--;
                partialFrom = up.name;
                continue;
              }
              if (ctx.breakers.failure(up.name, msg)) ctx.metrics.breakerOpen.set({ upstream: up.name }, 1);
              continue;
            }
            const e =
              err instanceof UpstreamError
                ? err
                : new UpstreamError("unreachable", `${up.name}: ${(err as Error)?.message ?? err}`);
            attempts.push(e.message);
            causes.push({ upstream: up.name, kind: e.kind });
            ctx.metrics.upstreamFailures.inc({ upstream: up.name, reason: e.kind });
            // An unreachable host (offline, DNS) is summed up once by the sync; other failures are news.
            (e.kind === "unreachable" ? log.debug : log.warn)("upstream failed; trying the next", {
              upstream: up.name,
              reason: e.kind,
              detail: e.message,
              kept_bytes: partial.offset,
            });
            if (e.countsAgainstUpstream || e.opts.retryAfterMs !== undefined) {
              if (ctx.breakers.failure(up.name, e.message, e.opts.retryAfterMs)) {
                ctx.metrics.breakerOpen.set({ upstream: up.name }, 1);
                (e.kind === "unreachable" ? log.debug : log.warn)("circuit breaker opened", {
                  upstream: up.name,
                });
              }
            }
          }
        } finally {
          // every byte taken from the upstream, kept or thrown away
          if (received > 0) ctx.metrics.bytesFetched.inc({ upstream: up.name }, received);
        }
      }
      // Every upstream failed or was skipped. Wait once for the soonest one
      // whose Retry-After expires within the limit (an open breaker is not
      // waited for: the next sync run tries again).
      const waits = ctx.upstreams
        .filter((u) => !ctx.breakers.isOpen(u.name))
        .map((u) => ctx.breakers.waitMs(u.name))
        .filter((w) => w > 0 && w <= ctx.maxRetryAfterMs);
      if (round > 0 || waits.length === 0) break;
      const wait = Math.min(...waits);
      log.info("waiting for an upstream to accept requests again", { wait_ms: wait });
      await sleep(wait, ctx.signal);
    }
    throw new FetchFailed(file.path, attempts, causes);
  } finally {
    await partial.close();
  }
}
