/** A synth worker as its own process (start as many as you like): health on HEALTH_PORT. */
import { bootstrap, startHealthServer } from "@kokoro-edge/runtime";
import { configSchema } from "./config";
import { startSynth } from "./service";

await bootstrap({ service: "synth", schema: configSchema }, async ({ config, log, bus }) => {
  const synth = await startSynth({ bus, log, config });
  const health = startHealthServer({
    port: config.HEALTH_PORT,
    hostname: config.HOST,
    service: "synth",
    readiness: () => {
      const s = synth.status();
      return { ready: s.ready, detail: s.detail };
    },
    metrics: () => synth.metrics.render(),
  });
  log.info("synth worker started", { health_port: health.port, bus: bus.kind });
  return {
    async stop() {
      await synth.stop();
      health.stop();
    },
  };
});
