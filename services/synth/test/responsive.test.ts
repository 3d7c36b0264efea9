import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contracts, Ping } from "@kokoro-edge/proto";
import { Bus, MemoryTransport, createLogger, loadConfig } from "@kokoro-edge/runtime";
import { configSchema, startSynth } from "../src";
import { sharedDir } from "./shared";

/**
 * onnxruntime-node runs inference synchronously on its thread; the worker
 * runs it on inference threads so its main thread keeps answering the bus
 * (status, heartbeats, credit, new requests) while a long chunk is made.
 */
test("the worker answers the bus while a long chunk is being inferred", async () => {
  const bus = new Bus(new MemoryTransport());
  const config = loadConfig(configSchema, {
    KOKORO_MODEL: "fixture",
    SYNTH_FIXTURE_WORK: "48",
    VOICES_DIR: join(sharedDir(), "kokoro", "voices"),
    DATA_DIR: mkdtempSync(join(tmpdir(), "synth-resp-")),
  });
  const synth = await startSynth({ bus, log: createLogger("synth-test"), config });
  await synth.ready;
  const tokens = Array.from({ length: 200 }, (_, i) => 1 + (i % 177));
  const t0 = performance.now();
  const reader = await bus.openStream(contracts.synth.stream, {
    v: 1,
    request_id: "long",
    voice: "af_heart",
    speed: 1,
    chunks: [{ index: 0, tokens, pause_after_s: 0 }],
  });
  const drained = (async () => {
    for await (const _ of reader) {
      /* drain */
    }
    return performance.now() - t0;
  })();
  await new Promise((r) => setTimeout(r, 100)); // inference under way
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await bus.requestJson(contracts.synth.status, { v: 1 } satisfies Ping, {
      timeoutMs: 5000,
    });
    latencies.push(performance.now() - t);
    expect(s.active_streams).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
  }
  const streamMs = await drained;
  expect(streamMs).toBeGreaterThan(600); // the chunk really took a while
  expect(Math.max(...latencies)).toBeLessThan(200); // and the bus was answered meanwhile
  await synth.stop();
  await bus.close();
}, 60_000);
