/** `npm start`: everything in one process on embedded defaults. */
import { startStack } from "./stack";

const stack = await startStack();
let stopping = false;
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}
