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
import { setupTelemetry, type Telemetry } from "./telemetry";

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

/** Configuration, logs and traces: what every process sets up first (services, and the one-process stack). */
export function setUpProcess<S extends z.ZodTypeAny>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): { config: z.infer<S> & CommonConfig; log: Logger; telemetry: Telemetry } {
  const config = loadConfig(schema, env) as z.infer<S> & CommonConfig;
  setLogLevel(config.LOG_LEVEL);
  if (config.LOG_FORMAT) setLogFormat(config.LOG_FORMAT);
  const log = createLogger(service);
  logUnhandledRejections(log);
  const telemetry = setupTelemetry({
    serviceName: config.OTEL_SERVICE_NAME ?? service,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  return { config, log, telemetry };
}

/** The bus (NATS when NATS_URL is set, else in-process), and the database when asked for (DATABASE_URL, else PGlite). */
export async function connectPlatform(
  service: string,
  config: CommonConfig,
  log: Logger,
  opts: { database?: boolean } = {},
): Promise<{ bus: Bus; db?: Database }> {
  const bus = await connectBus(config.NATS_URL, service, config.BUS_LOCAL_CALLS).catch((err) =>
    Promise.reject(new StartupError(`${(err as Error).message} (NATS_URL)`)),
  );
  if (!opts.database) return { bus };
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log }).catch(
    async (err) => {
      await bus.close().catch(() => {});
      throw new StartupError(
        `cannot open the database (${config.DATABASE_URL ? "DATABASE_URL" : `DATA_DIR=${config.DATA_DIR}`}): ${(err as Error).message}`,
      );
    },
  );
  return { bus, db };
}

/**
 * Stop cleanly on SIGTERM/SIGINT: `stop`, then tell the consumers of streams the drain did not
 * finish to resume elsewhere, close the bus, the database and the trace exporter, exit 0. An
 * exception nobody caught ends the process (as it would without this handler), after a last word to
 * stream consumers. (Unhandled rejections are only logged: last-resort.ts.)
 */
export function stopOnSignals(
  log: Logger,
  stop: () => Promise<void>,
  held: { bus: Bus; db?: Database; telemetry?: Telemetry },
): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    try {
      await stop();
    } catch (err) {
      log.error("stopping failed", { err });
    }
    if (announceProducersGone() > 0) await withTimeout(held.bus.flush(), 500).catch(() => {});
    await held.bus.close().catch(() => {});
    await held.db?.close().catch(() => {});
    await held.telemetry?.shutdown().catch(() => {});
    process.exit(0);
  };
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void shutdown(sig));
  let dying = false;
  process.on("uncaughtException", (err) => {
    if (dying) return;
    dying = true;
    log.error("uncaught exception; the process exits", {
      err,
      stack: err instanceof Error ? err.stack : undefined,
    });
    const told = announceProducersGone();
    void (told > 0 ? withTimeout(held.bus.flush(), 300).catch(() => {}) : Promise.resolve()).finally(() =>
      process.exit(1),
    );
  });
}

/** A service's entry point: set up, connect, start, and stop on signals (each failure a one-line exit). */
export async function bootstrap<S extends z.ZodTypeAny, T extends Stoppable>(
  opts: BootstrapOptions<S>,
  start: (ctx: ServiceContext<z.infer<S> & CommonConfig>) => Promise<T>,
): Promise<T> {
  const { config, log, telemetry } = await startOrExit(opts.service, async () =>
    setUpProcess(opts.service, opts.schema, opts.env),
  );
  const { bus, db } = await startOrExit(opts.service, () =>
    connectPlatform(opts.service, config, log, { database: opts.database }),
  );
  const service = await startOrExit(opts.service, () => start({ config, log, bus, db }));
  stopOnSignals(log, () => service.stop(), { bus, db, telemetry });
  return service;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(r, ms))]);
}
