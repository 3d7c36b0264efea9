/** `npm start`: everything in one process on embedded defaults. */
import { createLogger, startOrExit, stopOnSignals } from "@kokoro-edge/runtime";
import { startStack } from "./stack";

const stack = await startOrExit("kokoro-edge", () => startStack());
stopOnSignals(createLogger("kokoro-edge"), () => stack.stopServices(), stack);
