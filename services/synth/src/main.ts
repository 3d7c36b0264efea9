import { connectBus, createLogger, loadConfig, setLogLevel, setupTelemetry, startHealthServer } from "@kokoro-edge/runtime";
import { configSchema } from "./config";
import { startSynth } from "./service";

const config = loadConfig(configSchema);
setLogLevel(config.LOG_LEVEL);
const log = createLogger("synth");
const telemetry = setupTelemetry({ serviceName: config.OTEL_SERVICE_NAME ?? "synth", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const bus = await connectBus(config.NATS_URL, "synth");
const synth = await startSynth({ bus, log, config });
const health = startHealthServer({
  port: config.HEALTH_PORT,
  service: "synth",
  readiness: () => {
    const s = synth.status();
    return { ready: s.ready, detail: s.detail };
  },
  metrics: () => synth.metrics.render(),
});
log.info("synth worker started", { health_port: health.port, bus: bus.kind });

let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal: sig });
    await synth.stop();
    health.stop();
    await bus.close();
    await telemetry.shutdown();
    process.exit(0);
  });
}
