import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contracts } from "@kokoro-edge/proto";
import {
  Bus,
  MemoryTransport,
  concatInt16,
  createLogger,
  int16FromBytes,
  loadConfig,
  setLogLevel,
} from "@kokoro-edge/runtime";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { configSchema, startSynth } from "../src";
import { IdleCompactor } from "../src/idle-compactor";
import { sharedDir } from "./shared";

setLogLevel("error");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("idle compaction", () => {
  test("runs once, a delay after the worker goes idle; a stream arriving first cancels it", async () => {
    let runs = 0;
    const c = new IdleCompactor(40, async () => void runs++);
    c.idle();
    c.idle(); // a second stream ending restarts the delay, it does not add a run
    await sleep(80);
    expect(runs).toBe(1);
    c.idle();
    await sleep(10);
    c.busy(); // a stream came in before the delay ran out
    await sleep(80);
    expect(runs).toBe(1);
    await c.stop();
    c.idle(); // stopped: never again
    await sleep(80);
    expect(runs).toBe(1);
  });

  test("a failing collection is reported, not thrown", async () => {
    const errors: string[] = [];
    const c = new IdleCompactor(
      5,
      async () => {
        throw new Error("boom");
      },
      (e) => errors.push(e.message),
    );
    c.idle();
    await sleep(40);
    expect(errors).toEqual(["boom"]);
  });

  test("a worker collects on its inference threads when idle and keeps streaming correct audio after", async () => {
    const bus = new Bus(new MemoryTransport());
    const config = loadConfig(configSchema, {
      KOKORO_MODEL: "fixture",
      VOICES_DIR: join(sharedDir(), "kokoro", "voices"),
      DATA_DIR: mkdtempSync(join(tmpdir(), "synth-gc-")),
      SYNTH_IDLE_GC_MS: "20",
    });
    const synth = await startSynth({ bus, log: createLogger("synth-test"), config });
    await synth.ready;
    const speak = async (id: string, tokens: number[]) => {
      const reader = await bus.openStream(contracts.synth.stream, {
        v: 1,
        request_id: id,
        voice: "af_heart",
        speed: 1,
        chunks: [{ index: 0, tokens, pause_after_s: 0 }],
      });
      const parts: Int16Array[] = [];
      for await (const m of reader) if (m.headers["ke-type"] === "audio") parts.push(int16FromBytes(m.data));
      return concatInt16(parts);
    };
    try {
      const tokens = [50, 83, 54, 156, 57, 135, 16, 102];
      await speak("one", tokens);
      // 20 ms after the stream, then a full collection (slower on a loaded machine with a big test heap)
      for (let waited = 0; synth.metrics.idleCollections === 0 && waited < 10_000; waited += 25)
        await sleep(25);
      expect(synth.metrics.idleCollections).toBeGreaterThanOrEqual(1);
      expect(await synth.metrics.render()).toContain("kokoro_synth_idle_collections_total");
      // Streams racing a collection still get their audio, whole and right.
      const runs = await Promise.all([speak("two", tokens), sleep(19).then(() => speak("three", tokens))]);
      for (const pcm of runs) expect(decodeTokens(pcm).tokens).toEqual(tokens);
    } finally {
      await synth.stop();
      await bus.close();
    }
  }, 60_000);
});
