/** The gateway on its own: `bun services/gateway/src/main.ts` (public API on PORT). */
import { bootstrap } from "@kokoro-edge/runtime";
import { configSchema } from "./config";
import { startGateway } from "./service";

await bootstrap({ service: "gateway", schema: configSchema, database: true }, ({ config, log, bus, db }) =>
  startGateway({ bus, log, config, db }),
);
