/** The model mirror on its own: `bun services/model-mirror/src/main.ts` (HTTP CDN on MIRROR_PORT). */
import { bootstrap } from "@kokoro-edge/runtime";
import { mirrorConfig } from "./config";
import { startMirror } from "./service";

await bootstrap(
  { service: "model-mirror", schema: mirrorConfig, database: true },
  ({ config, log, bus, db }) => startMirror({ bus, db: db!, log, config }),
);
