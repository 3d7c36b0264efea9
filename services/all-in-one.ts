/** `npm start`: everything in one process on embedded defaults. */
import { createLogger, logUnhandledRejections, startOrExit } from "@kokoro-edge/runtime";
import { startStack } from "./stack";

const log = createLogger("kokoro-edge");
logUnhandledRejections(log);
const stack = await startOrExit("kokoro-edge", () => startStack());
let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    stack
      .stop()
      .catch((err) => log.error("stopping failed", { err }))
      .finally(() => process.exit(0));
  });
}
