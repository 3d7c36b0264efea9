import { join } from "node:path";
import { sharedDir as shared, sharedPaths } from "@kokoro-edge/runtime/src/testing/fixture-stack";

export const repoRoot = join(import.meta.dir, "..", "..");
export const sharedDir = shared();
export const { voicesDir, kokoroConfig, lexiconDir } = sharedPaths();
export const bunBin = process.execPath;
