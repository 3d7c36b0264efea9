// k6 stress test of kokoro-edge speech streaming (chunked PCM and SSE).
//   k6 run -e BASE_URL=https://tts.example.com -e API_KEY=... load-tests/k6/stress.js
// Profile, thresholds and knobs (VUS, SSE_SHARE): ./lib/profiles.js and ../README.md.
import { sleep } from "k6";
import exec from "k6/execution";
import { buildOptions } from "./lib/profiles.js";
import { chunkedStream, pick, sseStream } from "./lib/speech.js";

export const options = buildOptions("stress");

export function chunked() {
  chunkedStream(pick(exec.scenario.iterationInTest));
  sleep(Math.random());
}

export function sse() {
  sseStream(pick(exec.scenario.iterationInTest));
  sleep(Math.random());
}
