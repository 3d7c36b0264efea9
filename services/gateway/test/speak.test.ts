// speakChunks: word timings only when they are wanted (the plain audio body drops them), the same audio either way.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus, MemoryTransport, concatInt16, createLogger, loadConfig } from "@kokoro-edge/runtime";
import { configSchema as synthConfig, startSynth } from "@kokoro-edge/synth";
import { speakChunks } from "../src/pipeline/speak";

const shared = process.env.SHARED_DIR ?? join(import.meta.dir, "..", "..", "..", "..", "shared");
const bus = new Bus(new MemoryTransport());
const log = createLogger("test");
const synth = await startSynth({
  bus,
  log,
  config: loadConfig(synthConfig, {
    KOKORO_MODEL: "fixture",
    VOICES_DIR: join(shared, "kokoro", "voices"),
    DATA_DIR: mkdtempSync(join(tmpdir(), "speak-")),
    SYNTH_CACHE: "false",
  }),
});
await synth.ready;
afterAll(async () => {
  await synth.stop();
  await bus.close();
});

const chunks = [0, 1, 2].map((i) => ({
  index: i,
  tokens: [10 + i, 20 + i, 30 + i, 40 + i],
  pause_after_s: 0.1,
  words: [
    { text: `a${i}`, start: 0, end: 2, token_start: 0, token_end: 2 },
    { text: `b${i}`, start: 3, end: 5, token_start: 2, token_end: 4 },
  ],
}));

async function run(wordTimings: boolean | undefined) {
  const kinds: string[] = [];
  const pcm: Int16Array[] = [];
  for await (const ev of speakChunks(
    { bus, log, synth: { credit: 8, maxResumes: 1, idleTimeoutMs: 5000 } },
    chunks,
    {
      requestId: `speak-${wordTimings}`,
      voice: "af_heart",
      speed: 1,
      ...(wordTimings === undefined ? {} : { wordTimings }),
    },
  )) {
    kinds.push(ev.type);
    if (ev.type === "audio") pcm.push(ev.pcm.slice());
  }
  return { kinds, pcm: concatInt16(pcm) };
}

test("word timings by default and when asked for; none, and the same audio, when not", async () => {
  const byDefault = await run(undefined);
  const asked = await run(true);
  const audioOnly = await run(false);
  expect(byDefault.kinds.filter((k) => k === "words")).toHaveLength(3);
  expect(asked.kinds.filter((k) => k === "words")).toHaveLength(3);
  expect(audioOnly.kinds.filter((k) => k === "words")).toHaveLength(0);
  expect(audioOnly.kinds.filter((k) => k === "audio").length).toBeGreaterThan(0);
  expect(audioOnly.kinds.at(-1)).toBe("end");
  expect(audioOnly.pcm.length).toBeGreaterThan(0);
  expect(Buffer.from(audioOnly.pcm.buffer).equals(Buffer.from(asked.pcm.buffer))).toBe(true);
  // The caller's chunks keep their words (the request sent is a copy).
  expect(chunks.every((c) => c.words.length === 2)).toBe(true);
});
