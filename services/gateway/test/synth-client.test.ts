import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { Bus, MemoryTransport, concatInt16, createLogger, loadConfig } from "@kokoro-edge/runtime";
import { configSchema as synthConfig, startSynth } from "@kokoro-edge/synth";
import { batchChunks, synthesize } from "../src/pipeline/synth-client";

const shared = process.env.SHARED_DIR ?? join(import.meta.dir, "..", "..", "..", "..", "shared");

test("chunks are batched under a byte budget, in order, never empty", () => {
  const chunks = Array.from({ length: 50 }, (_, i) => ({
    index: i,
    tokens: Array(100).fill(50),
    pause_after_s: 0,
  }));
  const batches = batchChunks(chunks, 2000);
  expect(batches.length).toBeGreaterThan(1);
  expect(batches.flat()).toEqual(chunks);
  for (const b of batches) expect(JSON.stringify(b).length).toBeLessThanOrEqual(2000 + b.length);
  expect(batchChunks(chunks, 10_000_000).length).toBe(1);
});

test("a text too long for one NATS message is synthesised as consecutive streams on one timeline", async () => {
  const bus = new Bus(new MemoryTransport());
  const synth = await startSynth({
    bus,
    log: createLogger("test"),
    config: loadConfig(synthConfig, {
      KOKORO_MODEL: "fixture",
      VOICES_DIR: join(shared, "kokoro", "voices"),
      DATA_DIR: mkdtempSync(join(tmpdir(), "sc-")),
    }),
  });
  await synth.ready;
  // ~1,300 chunks with long word lists: well over 1 MB of request.
  const chunks = Array.from({ length: 1300 }, (_, i) => ({
    index: i,
    tokens: [1 + (i % 170), 2 + (i % 170)],
    pause_after_s: 0,
    words: Array.from({ length: 12 }, (_, k) => ({
      text: `w${i}-${k}-${"x".repeat(40)}`,
      start: 0,
      end: 1,
      token_start: 0,
      token_end: 2,
    })),
  }));
  expect(JSON.stringify(chunks).length).toBeGreaterThan(1_000_000);
  const pcm: Int16Array[] = [];
  let lastOffset = -1;
  let samples = 0;
  let end;
  let lastWordEnd = 0;
  for await (const ev of synthesize(
    bus,
    { v: 1, request_id: "big", voice: "af_heart", speed: 4, chunks },
    { credit: 8, maxResumes: 1, idleTimeoutMs: 5000, log: createLogger("test") },
  )) {
    if (ev.type === "audio") {
      expect(ev.offset).toBe(samples); // one continuous timeline across the streams
      expect(ev.offset).toBeGreaterThan(lastOffset);
      lastOffset = ev.offset;
      samples += ev.pcm.length;
      pcm.push(ev.pcm.slice());
    }
    if (ev.type === "words") {
      expect(ev.words.words[0]!.start_s).toBeGreaterThanOrEqual(lastWordEnd - 1e-6);
      lastWordEnd = ev.words.words.at(-1)!.end_s;
    }
    if (ev.type === "end") end = ev.end;
  }
  expect(end!.chunks).toBe(1300);
  expect(end!.samples).toBe(samples);
  expect(decodeTokens(concatInt16(pcm)).tokens).toEqual(chunks.flatMap((c) => c.tokens));
  await synth.stop();
  await bus.close();
}, 120_000);
