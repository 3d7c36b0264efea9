/**
 * The whole platform in one process: model-mirror, g2p, synth and gateway on
 * one bus (in-process unless NATS_URL is set) and one database (embedded
 * PGlite under DATA_DIR unless DATABASE_URL is set). Same code as the separate
 * services; only the wiring differs.
 */
import {
  commonConfig,
  connectPlatform,
  createLogger,
  loadConfig,
  setUpProcess,
  type Bus,
  type Database,
  type Telemetry,
} from "@kokoro-edge/runtime";
import { g2pConfig as g2pConfigSchema, startG2p } from "@kokoro-edge/g2p";
import { configSchema as synthConfigSchema, startSynth } from "@kokoro-edge/synth";
import { mirrorConfig as mirrorConfigSchema, startMirror } from "@kokoro-edge/model-mirror";
import { configSchema as gatewayConfigSchema, startGateway } from "@kokoro-edge/gateway";

export interface Stack {
  bus: Bus;
  db: Database;
  url: string;
  mirrorUrl: string;
  /** Resolves when a synth worker has its model (rejects if KOKORO_MODEL is set and fails). */
  synthReady: Promise<void>;
  /** Resolves when every service can answer: g2p has its vocab and preloaded lexicons, and synth its model. */
  ready: Promise<void>;
  synthMetrics(): { inferences: number };
  telemetry: Telemetry;
  stopServices(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(env: Record<string, string | undefined> = process.env): Promise<Stack> {
  const { config: common, log, telemetry } = setUpProcess("kokoro-edge", commonConfig, env);
  const platform = await connectPlatform("all-in-one", common, log, { database: true });
  const { bus } = platform;
  const db = platform.db!;
  // One port: the mirror's Hugging Face routes are served by the gateway (MIRROR_PORT is for the separate mirror service).
  const mirror = await startMirror({
    bus,
    db,
    log: createLogger("model-mirror"),
    config: loadConfig(mirrorConfigSchema, env),
    http: false,
    logFailures: false,
  });
  const g2p = await startG2p({ bus, log: createLogger("g2p"), config: loadConfig(g2pConfigSchema, env) });
  const synth = await startSynth({
    bus,
    log: createLogger("synth"),
    config: loadConfig(synthConfigSchema, env),
    collectMainThread: false,
  });
  const gatewayConfig = loadConfig(gatewayConfigSchema, env);
  let gateway;
  try {
    gateway = await startGateway({
      bus,
      log: createLogger("gateway"),
      config: gatewayConfig,
      db,
      hub: mirror.handleHttp,
      moreMetrics: [mirror.metrics.registry, g2p.metrics.registry, synth.metrics.registry],
    });
  } catch (err) {
    // Nothing may keep running (a port in use): stop what started, then fail.
    await synth.stop().catch(() => {});
    await g2p.stop().catch(() => {});
    await mirror.stop().catch(() => {});
    await bus.close().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
  mirror.setPublicUrl(gateway.url);
  /** The services, in the order that lets each finish what it serves (the bus and database stay open). */
  const stopServices = async () => {
    await gateway.stop();
    await synth.stop();
    await g2p.stop();
    await mirror.stop();
  };
  log.info("kokoro-edge is running", {
    url: gateway.url,
    bus: bus.kind,
    database: db.kind,
    try: `curl -s ${gateway.url}/readyz`,
  });
  return {
    bus,
    db,
    url: gateway.url,
    mirrorUrl: gateway.url,
    synthReady: synth.ready,
    ready: Promise.all([g2p.ready(), synth.ready]).then(() => {}),
    synthMetrics: () => ({ inferences: synth.metrics.inferences }),
    telemetry,
    stopServices,
    async stop() {
      await stopServices();
      await bus.close();
      await db.close();
      await telemetry.shutdown();
    },
  };
}
