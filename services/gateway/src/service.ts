import { EncoderPool } from "./encoders/pool";
import { contracts } from "@kokoro-edge/proto";
import type { Bus, Database, Logger } from "@kokoro-edge/runtime";
import { createApp } from "./app";
import { KeyCache } from "./auth/middleware";
import { apiKeysRequired, type GatewayConfig } from "./config";
import type { GatewayDeps, SpeechOutcome } from "./deps";
import { UsageRecorder } from "./limits/usage";
import { GatewayMetrics } from "./metrics";
import { join } from "node:path";
import { instanceId, listen } from "@kokoro-edge/runtime";
import { JobRunner } from "./jobs/runner";
import { JobStore } from "./jobs/store";
import { JobEvents } from "./jobs/events";
import { StreamSlots } from "./limits/token-bucket";
import { PostgresLimits } from "./limits/postgres-store";
import { synthStreamOptions } from "./pipeline/stream-options";
import { HedgeBudget } from "./pipeline/hedge-policy";

export interface GatewayService {
  port: number;
  url: string;
  /** Resolves when every usage record in progress is written. */
  flushUsage(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGateway(opts: {
  bus: Bus;
  log: Logger;
  config: GatewayConfig;
  dbPing?: () => Promise<boolean>;
  onSpeechDone?: (o: SpeechOutcome) => void;
  /** API keys and usage records; without it only open mode works and usage is not recorded. */
  db?: Database;
  /** The model mirror's HF routes on this port (one-process setup). */
  hub?: GatewayDeps["hub"];
  moreMetrics?: GatewayDeps["moreMetrics"];
}): Promise<GatewayService> {
  const { db } = opts;
  const usage = db ? new UsageRecorder(db.db, opts.log) : undefined;
  const metrics = new GatewayMetrics();
  const hedgeBudget = new HedgeBudget(opts.config.STREAM_MAX_CONCURRENT_HEDGES);
  const deps: GatewayDeps = {
    encoderPool: opts.config.ENCODER_THREADS > 0 ? new EncoderPool(opts.config.ENCODER_THREADS) : undefined,
    ...opts,
    metrics,
    hedgeBudget,
    synth: synthStreamOptions(opts.config, metrics.failoverEvents, hedgeBudget),
    dbPing: opts.dbPing ?? (db ? () => db.ping() : undefined),
    keys: db ? new KeyCache(db.db) : undefined,
    // Replicas that share a Postgres share limits; a gateway on its own keeps them in memory.
    limits:
      db?.kind === "postgres"
        ? new PostgresLimits(
            db.db,
            instanceId("gateway", opts.config.INSTANCE_ID),
            opts.log.child({ component: "limits" }),
            opts.config.STREAM_SLOT_LEASE_MS,
          )
        : undefined,
    usage,
    onSpeechDone: (o) => {
      usage?.record(o);
      opts.onSpeechDone?.(o);
    },
  };
  if (db) {
    const dir = opts.config.JOBS_DIR ?? join(opts.config.DATA_DIR, "jobs");
    const store = new JobStore(db.db);
    const events = new JobEvents(opts.bus, opts.log.child({ component: "job-events" }), {
      progress: (id) => store.progress(id),
    });
    events.start();
    const c = opts.config;
    const runner = new JobRunner({
      store,
      dir,
      owner: instanceId("gateway", c.INSTANCE_ID),
      leaseMs: c.JOB_LEASE_MS,
      pollMs: c.JOB_POLL_MS,
      retentionMs: c.JOB_RETENTION_HOURS * 3_600_000,
      concurrency: c.JOB_CONCURRENCY,
      cueConcurrency: c.JOB_CUE_CONCURRENCY,
      defaultMaxSpeed: c.SUBTITLES_MAX_SPEED,
      maxTrackSeconds: c.MAX_TRACK_SECONDS,
      maxAttempts: c.JOB_MAX_ATTEMPTS,
      log: opts.log.child({ component: "jobs" }),
      events,
      render: { bus: opts.bus, log: opts.log, synth: deps.synth },
    });
    deps.jobs = { store, runner, dir, events, eventSlots: new StreamSlots() };
  }
  // A key revoked on any gateway (or by the keys CLI) stops working here at once.
  const revocations = deps.keys
    ? opts.bus.onEvent(contracts.keys.revoked, (e) => deps.keys!.evict(e.id))
    : undefined;
  const app = createApp(deps);
  opts.log.info("API access", {
    api_keys: apiKeysRequired(opts.config) ? "required" : "optional (open mode)",
    admin_routes: opts.config.ADMIN_TOKEN ? "enabled" : "disabled (no ADMIN_TOKEN)",
    rate_limit_rpm: opts.config.RATE_LIMIT_RPM || "unlimited",
    max_streams_per_key: opts.config.MAX_STREAMS_PER_KEY || "unlimited",
  });
  const server = listen({
    port: opts.config.PORT,
    hostname: opts.config.HOST,
    portVariable: "PORT",
    fetch: (req, env) => app.fetch(req, env),
    idleTimeout: 255, // long streams: Bun's maximum; data flows continuously anyway
  });
  // Jobs start once the port is ours: a second gateway that cannot listen takes no work.
  if (deps.jobs && opts.config.JOB_CONCURRENCY > 0) deps.jobs.runner.start();
  const url = `http://${opts.config.HOST === "0.0.0.0" ? "127.0.0.1" : opts.config.HOST}:${server.port}`;
  opts.log.info("gateway listening", { url });
  return {
    port: server.port,
    url,
    flushUsage: async () => usage?.flush(),
    async stop() {
      await deps.jobs?.runner.stop();
      deps.jobs?.events.stop();
      revocations?.unsubscribe();
      await deps.limits?.stop();
      await server.stop(false);
      deps.encoderPool?.terminate(); // after the server: streams still open get no more bytes and end
      await usage?.flush();
    },
  };
}
