/**
 * Many MP3 clients that do not read (issue 20, finding 5). A non-reading
 * client still gets its socket buffer filled, which holds about six times more
 * seconds of MP3 than of WAV, so their encoding once ran on the event loop for
 * seconds at a time: /healthz waited 11.9 s and another client's request 37 s
 * with 200 of them. Encoding on the encoder pool's threads keeps the gateway
 * answering, and no healthy synth is declared lost meanwhile.
 * (ENCODER_THREADS=0 runs the same test with encoding on the event loop.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { fixtureStackEnv } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { startStack, type Stack } from "../../services/stack";

const CLIENTS = 150;

describe(`${CLIENTS} MP3 clients that never read`, () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack(
      fixtureStackEnv("encoding-load", {
        LOG_LEVEL: "error",
        RATE_LIMIT_RPM: "0",
        MAX_STREAMS_PER_KEY: "0",
        SYNTH_FIXTURE_WORK: "0",
        ...(process.env.ENCODER_THREADS ? { ENCODER_THREADS: process.env.ENCODER_THREADS } : {}),
      }),
    );
    await s.synthReady;
  });
  afterAll(async () => s?.stop());

  const failovers = async () =>
    (await (await fetch(`${s.url}/metrics`)).text())
      .split("\n")
      .filter((l) => l.startsWith("kokoro_synth_failovers_total"))
      .reduce((n, l) => n + Number(l.split(" ").pop()), 0);

  test("another client's speech still comes at once, and no synth is declared lost", async () => {
    const u = new URL(s.url);
    const text = Array.from(
      { length: 60 },
      (_, i) => `Sentence ${i} is here to make the stream very long indeed.`,
    ).join(" ");
    const body = JSON.stringify({ model: "kokoro", input: text, voice: "af_heart", response_format: "mp3" });
    const before = await failovers();
    const socks: Socket[] = [];
    try {
      for (let i = 0; i < CLIENTS; i++) {
        const sock = connect(Number(u.port), u.hostname);
        sock.on("error", () => {});
        sock.write(
          `POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        sock.pause(); // never read: the server's writes stop only when the socket buffers are full
        socks.push(sock);
      }
      await Bun.sleep(5_000); // their streams are filling their buffers
      const t0 = performance.now();
      const res = await fetch(`${s.url}/v1/audio/speech`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "kokoro",
          input: "Hello there.",
          voice: "af_heart",
          response_format: "wav",
        }),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      const t1 = performance.now();
      await fetch(`${s.url}/healthz`);
      const health = performance.now() - t1;
      console.log(
        `with ${CLIENTS} non-reading MP3 clients (ENCODER_THREADS=${process.env.ENCODER_THREADS ?? "default"}): another request ${res.status} in ${Math.round(ms)} ms, /healthz in ${Math.round(health)} ms`,
      );
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(5_000);
      expect(health).toBeLessThan(2_000);
      expect(await failovers()).toBe(before);
    } finally {
      for (const k of socks) k.destroy();
    }
  }, 120_000);
});
