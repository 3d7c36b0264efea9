/** The G2P service as its own process: config from the environment, NATS (or the in-process bus), health on HEALTH_PORT. */
import { bootstrap, startHealthServer } from "@kokoro-edge/runtime";
import { g2pConfig } from "./config";
import { startG2p } from "./service";

await bootstrap({ service: "g2p", schema: g2pConfig }, async ({ config, log, bus }) => {
  const g2p = await startG2p({ bus, log, config });
  const health = startHealthServer({
    port: config.HEALTH_PORT,
    hostname: config.HOST,
    service: "g2p",
    readiness: () => {
      const s = g2p.status();
      return {
        ready: s.ready && bus.isConnected(),
        detail: bus.isConnected() ? s.detail : `bus disconnected; ${s.detail}`,
      };
    },
    metrics: () => g2p.metrics.render(),
  });
  log.info("g2p started", { health_port: health.port, bus: bus.kind });
  return {
    async stop() {
      await g2p.stop();
      health.stop();
    },
  };
});
