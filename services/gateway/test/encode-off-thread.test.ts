import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePcmFile } from "../src/jobs/encode-file";
import { encodeOffThread } from "../src/jobs/encode-off-thread";

const dir = mkdtempSync(join(tmpdir(), "ke-encode-"));
const n = 24_000 * 30;
const pcmPath = join(dir, "track.s16le");
const pcm = new Int16Array(n);
for (let i = 0; i < n; i++) pcm[i] = Math.round(Math.sin(i / 9) * 9000);
writeFileSync(pcmPath, new Uint8Array(pcm.buffer));

test("a track encoded on a worker thread is the same bytes as on the main thread, and the event loop keeps turning", async () => {
  await encodePcmFile(pcmPath, join(dir, "main.mp3"), "mp3", 24_000, n);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const bytes = await encodeOffThread({
    pcmPath,
    outPath: join(dir, "thread.mp3"),
    tmpPath: join(dir, "thread.mp3.a-1.tmp"),
    format: "mp3",
    sampleRate: 24_000,
    totalSamples: n,
  });
  clearInterval(timer);
  const a = readFileSync(join(dir, "main.mp3"));
  const b = readFileSync(join(dir, "thread.mp3"));
  expect(bytes).toBe(b.length);
  expect(Buffer.compare(a, b)).toBe(0);
  expect(ticks).toBeGreaterThan(5); // the loop ran while the thread encoded
  expect(existsSync(join(dir, "thread.mp3.a-1.tmp"))).toBe(false);
});

test("a failed encode rejects with the reason and leaves no temporary file", async () => {
  const err = await encodeOffThread({
    pcmPath: join(dir, "missing.s16le"),
    outPath: join(dir, "x.mp3"),
    tmpPath: join(dir, "x.mp3.b-1.tmp"),
    format: "mp3",
    sampleRate: 24_000,
    totalSamples: n,
  }).then(
    () => new Error("resolved"),
    (e) => e as Error,
  );
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toContain("encoding failed");
  expect(readdirSync(dir).filter((f) => f.startsWith("x.mp3"))).toEqual([]);
});

test("an aborted encode stops the thread and rejects", async () => {
  const ac = new AbortController();
  const p = encodeOffThread(
    {
      pcmPath,
      outPath: join(dir, "y.mp3"),
      tmpPath: join(dir, "y.mp3.c-1.tmp"),
      format: "mp3",
      sampleRate: 24_000,
      totalSamples: n,
    },
    ac.signal,
  );
  ac.abort(new Error("lease lost"));
  expect(
    (
      await p.then(
        () => new Error("resolved"),
        (e) => e as Error,
      )
    ).message,
  ).toBe("lease lost");
});
