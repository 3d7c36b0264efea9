/** The job track file: silent gaps are holes, not written zeros (issue 20, finding 2). */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readSync, openSync, closeSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PcmFileSink } from "../src/jobs/file-sink";

const dir = mkdtempSync(join(tmpdir(), "ke-file-sink-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a cue an hour in writes no hour of zeros: the gap is a hole that reads as silence", () => {
  const path = join(dir, "track.s16le");
  const sink = new PcmFileSink(path);
  const at = 3600 * 24_000; // 01:00:00
  const speech = Int16Array.from({ length: 24_000 }, (_, i) => ((i % 200) - 100) * 50);
  const t0 = performance.now();
  sink.write(at, speech);
  sink.end(at + speech.length + 10 * 24_000);
  sink.close();
  const ms = performance.now() - t0;
  const st = statSync(path);
  expect(st.size).toBe((at + speech.length + 10 * 24_000) * 2); // 173 MB long
  expect(st.blocks * 512).toBeLessThan(4 * 1024 * 1024); // but only the speech is stored
  expect(ms).toBeLessThan(200);
  // The gap reads as zeros, the speech as written, the tail as zeros.
  const fd = openSync(path, "r");
  const probe = (sample: number, n: number) => {
    const b = new Int16Array(n);
    readSync(fd, new Uint8Array(b.buffer), 0, n * 2, sample * 2);
    return b;
  };
  expect(probe(0, 1000).every((v) => v === 0)).toBe(true);
  expect(probe(at - 1000, 1000).every((v) => v === 0)).toBe(true);
  expect(probe(at, speech.length)).toEqual(speech);
  expect(probe(at + speech.length, 1000).every((v) => v === 0)).toBe(true);
  closeSync(fd);
});

test("a cue overlapping the previous one is mixed after a hole", () => {
  const path = join(dir, "mix.s16le");
  const sink = new PcmFileSink(path);
  sink.write(48_000, new Int16Array(100).fill(1000));
  sink.write(48_050, new Int16Array(100).fill(500));
  sink.end(48_200);
  sink.close();
  const b = new Int16Array(200);
  const fd = openSync(path, "r");
  readSync(fd, new Uint8Array(b.buffer), 0, 400, 48_000 * 2);
  closeSync(fd);
  expect(b[0]).toBe(1000);
  expect(b[60]).toBe(1500);
  expect(b[120]).toBe(500);
  expect(b[199]).toBe(0);
});
