export { sharedDir } from "@kokoro-edge/runtime/src/testing/fixture-stack";
