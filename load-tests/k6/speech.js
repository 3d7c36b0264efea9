// k6 test of kokoro-edge speech streaming (chunked PCM and SSE), one script for every profile:
//   k6 run -e PROFILE=smoke -e BASE_URL=https://tts.example.com -e API_KEY=... load-tests/k6/speech.js
// PROFILE: smoke, load (default), stress, spike, soak. Shapes, thresholds and knobs (VUS,
// SSE_SHARE): ./lib/profiles.js and ../README.md.
import { sleep } from "k6";
import exec from "k6/execution";
import { buildOptions } from "./lib/profiles.js";
import { chunkedStream, pick, sseStream } from "./lib/speech.js";

export const options = buildOptions(__ENV.PROFILE || "load");

export function chunked() {
  chunkedStream(pick(exec.scenario.iterationInTest));
  sleep(Math.random());
}

export function sse() {
  sseStream(pick(exec.scenario.iterationInTest));
  sleep(Math.random());
}
