/** The G2P service as its own process: config from the environment, NATS (or the in-process bus), health on HEALTH_PORT. */
import { connectBus, createLogger, loadConfig, setLogLevel, setupTelemetry, startHealthServer } from "@kokoro-edge/runtime";
import { g2pConfig } from "./config";
import { startG2p } from "./service";

const config = loadConfig(g2pConfig);
setLogLevel(config.LOG_LEVEL);
const telemetry = setupTelemetry({ serviceName: config.OTEL_SERVICE_NAME ?? "g2p", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const log = createLogger("g2p");
const bus = await connectBus(config.NATS_URL, "g2p");
const g2p = await startG2p({ bus, log, config });
const health = startHealthServer({
  port: config.HEALTH_PORT,
  service: "g2p",
  readiness: () => {
    const s = g2p.status();
    return { ready: s.ready && bus.isConnected(), detail: bus.isConnected() ? s.detail : `bus disconnected; ${s.detail}` };
  },
  metrics: () => g2p.metrics.render(),
});
log.info("g2p started", { health_port: health.port, bus: bus.kind });

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("shutting down", { signal });
  await g2p.stop();
  health.stop();
  await bus.close();
  await telemetry.shutdown();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
