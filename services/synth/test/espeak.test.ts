import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contracts, SynthStart } from "@kokoro-edge/proto";
import {
  Bus,
  MemoryTransport,
  concatInt16,
  createLogger,
  decodeJson,
  int16FromBytes,
  loadConfig,
} from "@kokoro-edge/runtime";
import { EspeakEngine, espeakVoice } from "../src/engine/espeak-engine";
import { resample } from "../src/engine/resample";
import { configSchema, startSynth } from "../src";
import { sharedDir } from "./shared";

const espeak = await EspeakEngine.create();
if (!espeak && process.env.CI) throw new Error("espeak-ng is required in CI (apt-get install espeak-ng)");

describe("resampling", () => {
  test("a 1 kHz tone at 22.05 kHz stays a 1 kHz tone at 24 kHz, with the right length", () => {
    const n = 22050;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 22050));
    const y = resample(x, 22050, 24000);
    expect(y.length).toBe(24000);
    // Compare against the ideal tone away from the edges.
    let err = 0;
    for (let i = 1000; i < 23000; i++)
      err = Math.max(err, Math.abs(y[i]! - Math.sin((2 * Math.PI * 1000 * i) / 24000)));
    expect(err).toBeLessThan(0.01);
  });
});

(espeak ? describe : describe.skip)("espeak-ng fallback engine", () => {
  test("picks an espeak voice by Kokoro's language and gender prefix", () => {
    expect(espeakVoice("af_heart")).toBe("en-us+f3");
    expect(espeakVoice("bm_george")).toBe("en-gb+m3");
    expect(espeakVoice("ef_dora")).toBe("es+f3");
    expect(espeakVoice("zm_yunxi")).toBe("cmn+m3");
  });

  test("speaks text at 24 kHz, longer at lower speed", async () => {
    const slow = await espeak!.infer(
      { tokens: [], text: "Hello from the fallback engine.", voice: "af_heart" },
      new Float32Array(256),
      0.5,
    );
    const fast = await espeak!.infer(
      { tokens: [], text: "Hello from the fallback engine.", voice: "af_heart" },
      new Float32Array(256),
      2,
    );
    expect(slow.audio.length).toBeGreaterThan(fast.audio.length * 2);
    expect(Math.max(...fast.audio.map(Math.abs))).toBeGreaterThan(0.05);
  });

  test("a worker with no model and the fallback on serves espeak and says so", async () => {
    const bus = new Bus(new MemoryTransport());
    const config = loadConfig(configSchema, {
      VOICES_DIR: join(sharedDir(), "kokoro", "voices"),
      DATA_DIR: mkdtempSync(join(tmpdir(), "synth-espeak-")),
      SYNTH_FALLBACK_ENGINE: "espeak",
    });
    const synth = await startSynth({ bus, log: createLogger("synth-test"), config });
    await synth.ready;
    expect(synth.status().engine).toBe("espeak");
    expect(synth.status().detail).toContain("fallback engine");
    const reader = await bus.openStream(contracts.synth.stream, {
      v: 1,
      request_id: "e1",
      voice: "af_heart",
      speed: 1,
      chunks: [{ index: 0, tokens: [1], text: "testing one two three", pause_after_s: 0.2 }],
    });
    expect(SynthStart.parse(decodeJson(reader.accepted.data)).engine).toBe("espeak");
    const parts: Int16Array[] = [];
    for await (const m of reader) parts.push(int16FromBytes(m.data).slice());
    const pcm = concatInt16(parts);
    expect(pcm.length).toBeGreaterThan(24000 * 0.5);
    await synth.stop();
    await bus.close();
  });
});
