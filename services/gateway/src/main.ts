import { connectBus, createLogger, loadConfig, openDatabase, setLogLevel, setupTelemetry } from "@kokoro-edge/runtime";
import { configSchema } from "./config";
import { startGateway } from "./service";

const config = loadConfig(configSchema);
setLogLevel(config.LOG_LEVEL);
const log = createLogger("gateway");
const telemetry = setupTelemetry({ serviceName: config.OTEL_SERVICE_NAME ?? "gateway", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const bus = await connectBus(config.NATS_URL, "gateway");
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
const gateway = await startGateway({ bus, log, config, db });

for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.once(sig, async () => {
    log.info("shutting down", { signal: sig });
    await gateway.stop();
    await bus.close();
    await db.close();
    await telemetry.shutdown();
    process.exit(0);
  });
}
