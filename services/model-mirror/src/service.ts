/**
 * The model mirror: keeps verified copies of the configured Hugging Face repo
 * revisions, syncs them on a schedule with failover across upstreams, and
 * serves them over NATS (lookup/current/status) and HTTP (HF-compatible).
 */
import { contracts, type ServiceStatus } from "@kokoro-edge/proto";
import {
  instanceId,
  setStatusLine,
  type Bus,
  type Database,
  type Logger,
  type Readiness,
} from "@kokoro-edge/runtime";
import { serveMirrorApi } from "./api";
import { CircuitBreakers } from "./breaker";
import { Catalog } from "./catalog";
import type { MirrorConfig } from "./config";
import { mirrorHttpHandler, startHttp } from "./http";
import { DownloadProgress, progressBar } from "./progress";
import { MirrorMetrics } from "./metrics";
import { scrubOnce } from "./scrub";
import { MirrorState, type SpecState } from "./state";
import { BlobStore } from "./store";
import { syncSpec, type SyncContext } from "./sync";
import { makeUpstream, type Upstream } from "./upstream";

export interface MirrorDeps {
  bus: Bus;
  db: Database;
  log: Logger;
  config: MirrorConfig;
  /** Replace the upstreams built from MIRROR_UPSTREAMS (tests). */
  upstreams?: Upstream[];
  /**
   * Serve HTTP on MIRROR_PORT (default). The one-process setup turns it off and
   * serves `handleHttp` on the gateway's port instead.
   */
  http?: boolean;
  /**
   * Log failed syncs (default). The one-process setup turns it off: there the
   * synth worker says in one line what the missing model means and how to fix
   * it, and the failures stay at debug level (and in /readyz).
   */
  logFailures?: boolean;
}

export interface Mirror {
  stop(): Promise<void>;
  status(): ServiceStatus;
  /** The mirror's own HTTP port; 0 when it serves none (`http: false`). */
  port: number;
  /** The Hugging Face routes as a fetch handler (no /healthz, /readyz, /metrics), for another server to mount. */
  handleHttp(req: Request): Promise<Response>;
  /** Where other processes reach the HF routes (lookup replies' `url`). */
  setPublicUrl(url: string): void;
  /** Run a sync of every configured repo now; resolves when it is done. */
  syncNow(): Promise<void>;
  /** Re-hash every stored blob now; returns how many were quarantined. */
  scrubNow(): Promise<number>;
  state: MirrorState;
  metrics: MirrorMetrics;
}

/** How often a download in progress is logged, from when it has run this long. */
const PROGRESS_LOG_MS = 5_000;
const PROGRESS_FIRST_LOG_MS = 2_000;

/** Wait after a failed sync before trying again: doubles from 30 s to 10 min, never beyond the sync interval. */
export function retryDelay(failures: number, intervalMs: number, baseMs = 30_000): number {
  const d = Math.min(baseMs * 2 ** Math.max(0, failures - 1), 600_000);
  return intervalMs > 0 ? Math.min(d, intervalMs) : d;
}

export async function startMirror(deps: MirrorDeps): Promise<Mirror> {
  const { bus, config } = deps;
  const log = deps.log;
  const instance = instanceId("mirror", config.INSTANCE_ID);
  const store = new BlobStore(config.MIRROR_DIR);
  const catalog = new Catalog(deps.db.db);
  const metrics = new MirrorMetrics();
  const breakers = new CircuitBreakers({
    threshold: config.MIRROR_BREAKER_FAILURES,
    cooldownMs: config.MIRROR_BREAKER_COOLDOWN,
  });
  const upstreams =
    deps.upstreams ??
    config.MIRROR_UPSTREAMS.map((u) =>
      makeUpstream(u, { timeoutMs: config.MIRROR_TIMEOUT_MS, token: config.HF_TOKEN }),
    );
  const pinnedUpstreams = config.MIRROR_PINNED_UPSTREAMS.map((u) =>
    makeUpstream(u, { timeoutMs: config.MIRROR_TIMEOUT_MS }),
  );
  const state = new MirrorState(config.MIRROR_REPOS, catalog, store, "http://127.0.0.1:0");
  const stopping = new AbortController();

  // What was verified before is served at once, even offline.
  for (const s of state.specs) {
    const v = await catalog.latest(s.spec.repo, s.spec.revision).catch((err) => {
      log.warn("could not read the stored versions", { repo: s.spec.repo, err });
      return undefined;
    });
    if (v && state.servable(v)) {
      s.current = v;
      metrics.versions.set({ repo: s.spec.repo, revision: s.spec.revision }, v.files.length);
      log.info("serving the stored version", {
        repo: v.repo,
        revision: v.revision,
        commit: v.commit,
        files: v.files.length,
      });
    } else if (v)
      log.warn("the stored version is missing blobs on this disk; it will be fetched again", {
        repo: v.repo,
        commit: v.commit,
      });
  }

  const ctx: SyncContext = {
    store,
    upstreams,
    breakers,
    metrics,
    log,
    catalog,
    instance,
    concurrency: config.MIRROR_CONCURRENCY,
    pinnedUpstreams,
    maxFileBytes: config.MIRROR_MAX_FILE_BYTES,
    maxRetryAfterMs: config.MIRROR_MAX_RETRY_AFTER,
    signal: stopping.signal,
  };

  const failures = new Map<SpecState, number>();
  /** One pending run per configured revision: a new schedule replaces the old. */
  const timers = new Map<SpecState, ReturnType<typeof setTimeout>>();
  const running = new Map<SpecState, Promise<void>>();

  function schedule(s: SpecState, ms: number) {
    if (stopping.signal.aborted) return;
    clearTimeout(timers.get(s));
    s.nextRunAt = new Date(Date.now() + ms);
    timers.set(
      s,
      setTimeout(() => {
        timers.delete(s);
        syncInBackground(s);
      }, ms),
    );
  }

  /** A sync nobody waits for (timers, scrubs, start): whatever it throws is logged here. */
  function syncInBackground(s: SpecState): void {
    syncOne(s).catch((err) => log.error("sync failed unexpectedly", { repo: s.spec.repo, err }));
  }

  function syncOne(s: SpecState): Promise<void> {
    const existing = running.get(s);
    if (existing) return existing;
    const p = (async () => {
      s.syncing = true;
      s.nextRunAt = undefined;
      s.progress = new DownloadProgress();
      try {
        const r = await syncSpec({ ...ctx, progress: s.progress }, s.spec, s.current);
        s.lastRunAt = new Date();
        if (r.outcome === "failed") {
          // The whole chain of causes once; the same failure again only at debug level.
          const repeated = s.lastError === r.summary;
          s.lastError = r.summary;
          s.lastDetail = r.detail;
          const n = (failures.get(s) ?? 0) + 1;
          failures.set(s, n);
          const wait = retryDelay(
            n,
            config.MIRROR_SYNC_INTERVAL,
            Math.min(30_000, config.MIRROR_BREAKER_COOLDOWN || 30_000),
          );
          const what = s.current
            ? `sync of ${s.spec.repo}@${s.spec.revision} failed; still serving the verified copy`
            : `no verified copy of ${s.spec.repo}@${s.spec.revision} is stored and it cannot be fetched`;
          (repeated || deps.logFailures === false ? log.debug : s.current ? log.warn : log.error)(
            `${what}: ${r.summary}; retrying in ${Math.round(wait / 1000)} s`,
            { detail: r.detail },
          );
          schedule(s, wait);
          return;
        }
        failures.delete(s);
        if (s.lastError) log.info(`${s.spec.repo}@${s.spec.revision} synced after earlier failures`);
        s.lastError = undefined;
        s.lastDetail = undefined;
        const prev = s.current;
        const changed =
          r.outcome === "complete" &&
          (!prev ||
            prev.commit !== r.version!.commit ||
            prev.files.map((f) => f.path + f.sha256).join() !==
              r.version!.files.map((f) => f.path + f.sha256).join());
        for (const f of r.version!.files) state.quarantined.delete(f.sha256);
        s.current = r.version;
        if (changed) {
          metrics.versions.set({ repo: s.spec.repo, revision: s.spec.revision }, r.version!.files.length);
          bus.publishEvent(contracts.mirror.updated, { v: 1, version: state.toWireVersion(r.version!) });
          log.info("published a new version", {
            repo: s.spec.repo,
            revision: s.spec.revision,
            commit: r.version!.commit,
          });
        }
        if (config.MIRROR_SYNC_INTERVAL > 0) schedule(s, config.MIRROR_SYNC_INTERVAL);
      } catch (err) {
        s.lastError = `sync crashed: ${(err as Error)?.message ?? err}`;
        log.error("sync failed unexpectedly", { repo: s.spec.repo, err });
        schedule(s, retryDelay((failures.get(s) ?? 0) + 1, config.MIRROR_SYNC_INTERVAL));
      } finally {
        s.syncing = false;
        s.progress = undefined;
        running.delete(s);
      }
    })();
    running.set(s, p);
    return p;
  }

  let scrubTimer: ReturnType<typeof setInterval> | undefined;
  const scrubNow = async () => {
    const bad = await scrubOnce({ store, state, catalog, metrics, log });
    if (bad.length)
      for (const s of state.specs)
        if (s.current?.files.some((f) => bad.includes(f.sha256))) syncInBackground(s);
    return bad.length;
  };

  function readiness(): Readiness {
    const checks: Record<string, { ok: boolean; detail: string }> = {};
    for (const s of state.specs)
      checks[`${s.spec.repo}@${s.spec.revision}`] = { ok: !!s.current, detail: state.describe(s) };
    return { ready: state.ready(), detail: state.detail(), checks };
  }

  const status = (): ServiceStatus => {
    const first = state.specs[0]!;
    return {
      v: 1,
      service: "mirror",
      instance,
      ready: state.ready(),
      detail: state.detail(),
      ...(first.current ? { model: first.spec.repo, model_version: first.current.commit } : {}),
    };
  };

  const httpDeps = {
    state,
    metrics,
    log,
    readiness,
    metricsText: () => metrics.render(),
  };
  metrics.refresh = () => {
    metrics.ready.set(state.ready() ? 1 : 0);
    for (const u of [...upstreams, ...pinnedUpstreams])
      metrics.breakerOpen.set({ upstream: u.name }, breakers.isOpen(u.name) ? 1 : 0);
    for (const s of state.specs) {
      const p = s.progress?.snapshot();
      metrics.downloadBytes.set({ repo: s.spec.repo }, p?.done ?? 0);
      metrics.downloadSize.set({ repo: s.spec.repo }, p?.total ?? 0);
      metrics.downloadRate.set({ repo: s.spec.repo }, Math.round(p?.rate ?? 0));
    }
  };
  const http =
    deps.http === false
      ? undefined
      : startHttp(httpDeps, { port: config.MIRROR_PORT, hostname: config.MIRROR_HOST });
  const handleHttp = mirrorHttpHandler(httpDeps, { health: false });
  state.publicUrl = (config.MIRROR_PUBLIC_URL ?? `http://127.0.0.1:${http?.port ?? 0}`).replace(/\/+$/, "");

  // Long downloads say how far they are: a log line every few seconds, and a bar on a terminal.
  let lastLogAt = 0;
  const progressTimer = setInterval(() => {
    const active = state.specs.filter((s) => s.progress?.active && s.progress.snapshot().done > 0);
    if (active.length === 0) {
      setStatusLine(undefined);
      return;
    }
    const now = Date.now();
    // a short download is not worth a line; a long one gets one every few seconds
    if (
      now - lastLogAt >= PROGRESS_LOG_MS &&
      active.some((s) => now - s.progress!.startedAt >= PROGRESS_FIRST_LOG_MS)
    ) {
      lastLogAt = now;
      for (const s of active) {
        const p = s.progress!.snapshot();
        log.info(s.progress!.describe(), {
          repo: s.spec.repo,
          bytes: p.done,
          total: p.total,
          rate: p.rate === undefined ? undefined : Math.round(p.rate),
          eta_s: p.eta === undefined ? undefined : Math.round(p.eta),
        });
      }
    }
    const main = active.reduce((a, b) =>
      (a.progress!.snapshot().total ?? 0) >= (b.progress!.snapshot().total ?? 0) ? a : b,
    );
    const snap = main.progress!.snapshot();
    setStatusLine(`${progressBar(snap.ratio ?? 0)} ${main.progress!.describe()}`);
  }, 250);
  progressTimer.unref?.();
  const subs = serveMirrorApi(bus, state, status);
  await bus.flush().catch(() => {});

  for (const s of state.specs) syncInBackground(s);
  if (config.MIRROR_SCRUB_INTERVAL > 0)
    scrubTimer = setInterval(
      () => void scrubNow().catch((err) => log.error("scrub failed", { err })),
      config.MIRROR_SCRUB_INTERVAL,
    );
  log.info("model mirror started", {
    port: http?.port ?? "(none: served on the gateway port)",
    dir: config.MIRROR_DIR,
    upstreams: upstreams.map((u) => u.name),
    repos: state.specs.map((s) => `${s.spec.repo}@${s.spec.revision}`),
  });

  return {
    port: http?.port ?? 0,
    handleHttp,
    setPublicUrl: (url: string) => void (state.publicUrl = url.replace(/\/+$/, "")),
    state,
    metrics,
    status,
    syncNow: async () => {
      await Promise.all(state.specs.map((s) => syncOne(s)));
    },
    scrubNow,
    async stop() {
      stopping.abort();
      for (const t of timers.values()) clearTimeout(t);
      if (scrubTimer) clearInterval(scrubTimer);
      clearInterval(progressTimer);
      setStatusLine(undefined);
      for (const s of subs) s.unsubscribe();
      await http?.stop();
      await Promise.allSettled([...running.values()]);
    },
  };
}
