/** The whole platform in one process: in-process bus, embedded PGlite. */
import { afterAll, beforeAll } from "bun:test";
import { contracts } from "@kokoro-edge/proto";
import { startStack, type Stack } from "../../services/stack";
import { fixtureStackEnv } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { speechScenarios } from "./speech.scenarios";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(fixtureStackEnv("embedded"));
  await stack.ready;
});

afterAll(async () => {
  await stack?.stop();
});

speechScenarios("embedded", () => ({
  url: stack.url,
  async g2pTokens(text, voice) {
    const r = await stack.bus.requestJson(contracts.g2p.phonemize, { v: 1, text, voice });
    if ("error" in r) throw new Error(r.error.message);
    return r.chunks.flatMap((c) => c.tokens);
  },
  async synthInferences() {
    return stack.synthMetrics().inferences;
  },
}));
