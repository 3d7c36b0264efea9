/**
 * What every entry point does around its service: read and check the
 * configuration, set up logs and traces, connect the bus (and the database
 * when the service keeps state), start, and stop cleanly on SIGTERM/SIGINT.
 * A mistake a person can fix (a bad variable, a port in use, a database that
 * cannot be reached) ends the process with one line that says what to change.
 * A process about to die (an uncaught exception, a shutdown whose drain ran
 * out) tells the consumers of its streams first (best effort), so they resume
 * on another replica at once.
 */
import type { z } from "zod";
import { announceProducersGone, connectBus, type Bus } from "./bus";
import { loadConfig, type CommonConfig } from "./config";
import { openDatabase, type Database } from "./db";
import { StartupError, startOrExit } from "./http-server";
import { logUnhandledRejections } from "./last-resort";
import { createLogger, setLogFormat, setLogLevel, type Logger } from "./log";
import { setupTelemetry } from "./telemetry";

export interface ServiceContext<C> {
  config: C;
  log: Logger;
  bus: Bus;
  /** Only when the entry point asked for one. */
  db?: Database;
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface BootstrapOptions<S extends z.ZodTypeAny> {
  /** Names the process in logs, traces and the bus connection. */
  service: string;
  schema: S;
  database?: boolean;
  env?: Record<string, string | undefined>;
}

export async function bootstrap<S extends z.ZodTypeAny, T extends Stoppable>(
  opts: BootstrapOptions<S>,
  start: (ctx: ServiceContext<z.infer<S> & CommonConfig>) => Promise<T>,
): Promise<T> {
  const config = await startOrExit(
    opts.service,
    async () => loadConfig(opts.schema, opts.env ?? process.env) as z.infer<S> & CommonConfig,
  );
  setLogLevel(config.LOG_LEVEL);
  if (config.LOG_FORMAT) setLogFormat(config.LOG_FORMAT);
  const log = createLogger(opts.service);
  logUnhandledRejections(log);
  const telemetry = setupTelemetry({
    serviceName: config.OTEL_SERVICE_NAME ?? opts.service,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const bus = await startOrExit(opts.service, () =>
    connectBus(config.NATS_URL, opts.service).catch((err) =>
      Promise.reject(new StartupError(`${(err as Error).message} (NATS_URL)`)),
    ),
  );
  const db = opts.database
    ? await startOrExit(opts.service, () =>
        openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log }).catch((err) =>
          Promise.reject(
            new StartupError(
              `cannot open the database (${config.DATABASE_URL ? "DATABASE_URL" : `DATA_DIR=${config.DATA_DIR}`}): ${(err as Error).message}`,
            ),
          ),
        ),
      )
    : undefined;
  const service = await startOrExit(opts.service, () => start({ config, log, bus, db }));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    try {
      await service.stop();
    } catch (err) {
      log.error("stopping failed", { err });
    }
    // Streams the drain did not finish: their consumers resume elsewhere now, not after a silence.
    if (announceProducersGone() > 0) await withTimeout(bus.flush(), 500).catch(() => {});
    await bus.close().catch(() => {});
    await db?.close().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(0);
  };
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void shutdown(sig));
  // An exception nobody caught ends the process (as it would without this handler), after a last word to
  // stream consumers. (Unhandled rejections are only logged: last-resort.ts.)
  let dying = false;
  process.on("uncaughtException", (err) => {
    if (dying) return;
    dying = true;
    log.error("uncaught exception; the process exits", {
      err,
      stack: err instanceof Error ? err.stack : undefined,
    });
    const told = announceProducersGone();
    void (told > 0 ? withTimeout(bus.flush(), 300).catch(() => {}) : Promise.resolve()).finally(() =>
      process.exit(1),
    );
  });
  return service;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(r, ms))]);
}
