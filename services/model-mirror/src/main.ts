/** The model mirror on its own: `bun services/model-mirror/src/main.ts`. */
import { connectBus, createLogger, loadConfig, openDatabase, setLogLevel, setupTelemetry } from "@kokoro-edge/runtime";
import { mirrorConfig } from "./config";
import { startMirror } from "./service";

const config = loadConfig(mirrorConfig);
setLogLevel(config.LOG_LEVEL);
const telemetry = setupTelemetry({ serviceName: config.OTEL_SERVICE_NAME ?? "model-mirror", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const log = createLogger("mirror");
const bus = await connectBus(config.NATS_URL, "model-mirror");
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
const mirror = await startMirror({ bus, db, log, config });

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  await mirror.stop();
  await bus.close().catch(() => {});
  await db.close().catch(() => {});
  await telemetry.shutdown();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
