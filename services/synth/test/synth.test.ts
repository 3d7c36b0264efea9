import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { contracts, SynthStart, SynthEnd, SynthWords, type SynthRequestInput } from "@kokoro-edge/proto";
import {
  Bus,
  MemoryTransport,
  NatsTransport,
  StreamRejected,
  concatInt16,
  createLogger,
  decodeJson,
  int16FromBytes,
  loadConfig,
} from "@kokoro-edge/runtime";
import { TEST_NATS_URL, haveNats } from "@kokoro-edge/runtime/src/testing/services";
import { configSchema, startSynth, type SynthService } from "../src";
import { sharedDir } from "./shared";

const VOICES = join(sharedDir(), "kokoro", "voices");

async function collect(bus: Bus, req: SynthRequestInput, opts: { credit?: number } = {}) {
  const reader = await bus.openStream(contracts.synth.stream, req, { credit: opts.credit ?? 4 });
  const start = SynthStart.parse(decodeJson(reader.accepted.data));
  const pcm: Int16Array[] = [];
  const words: SynthWords[] = [];
  const offsets: number[] = [];
  /** Per message: [seq, chunk] of the audio messages. */
  const audioMsgs: { seq: number; chunk: number; offset: number }[] = [];
  let expectedOffset = 0;
  for await (const m of reader) {
    if (m.headers["ke-type"] === "words") words.push(SynthWords.parse(decodeJson(m.data)));
    else {
      expect(Number(m.headers["ke-offset"])).toBe(expectedOffset);
      const samples = int16FromBytes(m.data);
      expect(samples.length).toBe(Number(m.headers["ke-samples"]));
      expectedOffset += samples.length;
      offsets.push(Number(m.headers["ke-offset"]));
      audioMsgs.push({
        seq: m.seq,
        chunk: Number(m.headers["ke-chunk"]),
        offset: Number(m.headers["ke-offset"]),
      });
      pcm.push(samples);
    }
  }
  const all = concatInt16(pcm);
  return { start, end: SynthEnd.parse(decodeJson(reader.end!.data)), pcm: all, words, offsets, audioMsgs };
}

function suite(name: string, makeBus: () => Promise<Bus>) {
  describe(`synth worker (${name})`, () => {
    let bus: Bus;
    let synth: SynthService;
    beforeAll(async () => {
      bus = await makeBus();
      const config = loadConfig(configSchema, {
        KOKORO_MODEL: "fixture",
        VOICES_DIR: VOICES,
        DATA_DIR: mkdtempSync(join(tmpdir(), "synth-")),
        INSTANCE_ID: `synth-test-${name}`,
        // this suite is about inference itself; the chunk cache has its own (cache.test.ts)
        SYNTH_CACHE: "false",
      });
      synth = await startSynth({ bus, log: createLogger("synth-test"), config });
      await synth.ready;
    });
    afterAll(async () => {
      await synth.stop();
      await bus.close();
    });

    test("streams every chunk in order; the audio decodes to the tokens sent", async () => {
      const chunks = [
        { index: 0, tokens: [50, 83, 54, 156], pause_after_s: 0.2 },
        { index: 1, tokens: [61, 61, 62, 63, 120, 121], pause_after_s: 0.4 },
        { index: 2, tokens: [44, 45, 46], pause_after_s: 0 },
      ];
      const out = await collect(bus, { v: 1, request_id: "t1", voice: "af_heart", speed: 1, chunks });
      expect(out.start.engine).toBe("fixture");
      expect(out.start.voice).toBe("af_heart");
      expect(out.start.sample_rate).toBe(24000);
      expect(decodeTokens(out.pcm).tokens).toEqual(chunks.flatMap((c) => c.tokens));
      expect(out.end.samples).toBe(out.pcm.length);
      expect(out.end.chunks).toBe(3);
    });

    test("word timings come from the model's durations, in order and inside the audio", async () => {
      const chunks = [
        {
          index: 0,
          tokens: [50, 83, 16, 54, 156],
          pause_after_s: 0.3,
          words: [
            { text: "Hi", start: 0, end: 2, token_start: 0, token_end: 2 },
            { text: "you", start: 3, end: 6, token_start: 3, token_end: 5 },
          ],
        },
      ];
      const out = await collect(bus, { v: 1, request_id: "t2", voice: "af_heart", speed: 1, chunks });
      const w = out.words[0]!.words;
      expect(w.map((x) => x.text)).toEqual(["Hi", "you"]);
      expect(w[0]!.start_s).toBeLessThan(w[0]!.end_s);
      expect(w[0]!.end_s).toBeLessThanOrEqual(w[1]!.start_s);
      expect(w[1]!.end_s).toBeLessThanOrEqual(out.pcm.length / 24000);
      // Decoded token segments agree with the reported times (within a frame).
      const segs = decodeTokens(out.pcm).segments;
      expect(Math.abs(segs[3]!.startSample / 24000 - w[1]!.start_s)).toBeLessThan(0.03);
    });

    test("speed scales the audio; a voice mix is accepted and named", async () => {
      const chunks = [{ index: 0, tokens: [50, 83, 54, 156, 57, 58], pause_after_s: 0 }];
      const slow = await collect(bus, {
        v: 1,
        request_id: "t3",
        voice: "af_bella(2)+af_sky(1)",
        speed: 0.5,
        chunks,
      });
      const fast = await collect(bus, { v: 1, request_id: "t4", voice: "af_bella+af_sky", speed: 2, chunks });
      expect(slow.start.voice).toBe("af_bella(0.6667)+af_sky(0.3333)");
      expect(slow.pcm.length).toBeGreaterThan(fast.pcm.length * 3);
      expect(decodeTokens(slow.pcm).tokens).toEqual(chunks[0]!.tokens);
      expect(decodeTokens(fast.pcm).tokens).toEqual(chunks[0]!.tokens);
    });

    test("unknown voice and bad mix are rejected with a 400 naming the problem", async () => {
      const chunks = [{ index: 0, tokens: [50], pause_after_s: 0 }];
      const e1 = await bus
        .openStream(contracts.synth.stream, { v: 1, request_id: "t5", voice: "xx_nobody", speed: 1, chunks })
        .catch((e) => e);
      expect(e1).toBeInstanceOf(StreamRejected);
      expect(e1.error.status).toBe(400);
      expect(e1.error.code).toBe("unknown_voice");
      expect(e1.error.message).toContain("xx_nobody");
      const e2 = await bus
        .openStream(contracts.synth.stream, {
          v: 1,
          request_id: "t6",
          voice: "af_bella(-1)+",
          speed: 1,
          chunks,
        })
        .catch((e) => e);
      expect(e2.error.status).toBe(400);
      expect(e2.error.code).toBe("invalid_voice");
    });

    test("resume from the middle gives exactly the rest of the stream", async () => {
      const chunks = Array.from({ length: 4 }, (_, i) => ({
        index: i,
        tokens: [40 + i, 50 + i, 60 + i],
        pause_after_s: 0.1,
      }));
      const full = await collect(
        bus,
        { v: 1, request_id: "t7", voice: "af_heart", speed: 1, chunks },
        { credit: 2 },
      );
      // The first chunk leads with a short message, so chunk 0 is two messages here.
      expect(full.audioMsgs.filter((m) => m.chunk === 0).length).toBe(2);
      // Resume at chunk 2: the sequence number and offset of its first message.
      const at = full.audioMsgs.find((m) => m.chunk === 2)!;
      const offset2 = at.offset;
      const reader = await bus.openStream(
        contracts.synth.stream,
        {
          v: 1,
          request_id: "t7",
          voice: "af_heart",
          speed: 1,
          chunks,
          resume: { chunk: 2, offset: offset2 },
        },
        { firstSeq: at.seq, fromSeq: at.seq },
      );
      const rest: Int16Array[] = [];
      const seqs: number[] = [];
      for await (const m of reader) {
        expect(m.seq).toBeGreaterThanOrEqual(at.seq);
        seqs.push(m.seq);
        rest.push(int16FromBytes(m.data));
      }
      // the same messages, cut at the same places, as the first try sent from there on
      expect(seqs).toEqual(full.audioMsgs.filter((m) => m.chunk >= 2).map((m) => m.seq));
      const tail = full.pcm.subarray(offset2);
      const got = concatInt16(rest);
      expect(got.length).toBe(tail.length);
      expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(tail.slice().buffer))).toBe(0);
    });

    test("lists its voices with language, gender and engine", async () => {
      const r = await bus.requestJson(contracts.synth.voices, { v: 1 });
      if ("error" in r) throw new Error(r.error.message);
      const heart = r.voices.find((v) => v.name === "af_heart")!;
      expect(heart).toEqual({
        name: "af_heart",
        language: "en-us",
        gender: "female",
        engine: "fixture",
        available: true,
      });
      expect(r.voices.find((v) => v.name === "bm_george")!.language).toBe("en-gb");
      // every one of Kokoro's nine languages is read by g2p: all 54 voices can speak
      expect(r.voices.find((v) => v.name === "jf_alpha")).toMatchObject({ language: "ja", available: true });
      expect(r.voices.find((v) => v.name === "ff_siwis")!.language).toBe("fr-fr");
      expect(r.voices.every((v) => v.available)).toBe(true);
      expect(r.voices.length).toBe(54);
    });

    test("metrics: every stream's first chunk has its wait counted; a worker far ahead of playback has no late chunk", async () => {
      const metric = async (name: string) =>
        Number(
          new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(await synth.metrics.render())?.[1] ??
            NaN,
        );
      const before = await metric("kokoro_synth_first_chunk_wait_seconds_count");
      const busyBefore = await metric("kokoro_synth_engine_busy_seconds_total");
      const t0 = performance.now();
      const chunks = Array.from({ length: 3 }, (_, i) => ({
        index: i,
        tokens: [40 + i, 50 + i, 60 + i],
        pause_after_s: 0.1,
      }));
      await Promise.all(
        [0, 1, 2].map((i) =>
          collect(bus, { v: 1, request_id: `m${i}`, voice: "af_heart", speed: 1, chunks }),
        ),
      );
      expect(await metric("kokoro_synth_first_chunk_wait_seconds_count")).toBe(before + 3);
      expect(await metric("kokoro_synth_late_chunks_total")).toBe(0);
      expect(await metric("kokoro_synth_underrun_seconds_total")).toBe(0);
      // the engine was busy for some of that time (9 inferences), and never longer than it
      const busy = (await metric("kokoro_synth_engine_busy_seconds_total")) - busyBefore;
      expect(busy).toBeGreaterThan(0);
      expect(busy).toBeLessThanOrEqual((performance.now() - t0) / 1000);
    });

    test("status says ready with the model loaded", async () => {
      const s = synth.status();
      expect(s.ready).toBe(true);
      expect(s.engine).toBe("fixture");
    });
  });
}

suite("in-process", async () => new Bus(new MemoryTransport()));
if (await haveNats())
  suite("NATS", async () => new Bus(await NatsTransport.connect(TEST_NATS_URL, "synth-test")));
