/** `npm start`: everything in one process on embedded defaults. */
import { startOrExit } from "@kokoro-edge/runtime";
import { startStack } from "./stack";

const stack = await startOrExit("kokoro-edge", () => startStack());
let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}
