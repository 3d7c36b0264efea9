/** The first chunk of a long text comes before the rest of the text is processed. */
import { expect, test } from "bun:test";
import { phonemizeChunks } from "../src/engine";
import { resources } from "./shared";

test("first chunk of a ~600 kB text in a few ms, long before the whole", async () => {
  const res = await resources("en-us");
  const para =
    "On Dec. 5th, Dr. Smith paid $5.30 for 3,497 apples, then read the report aloud. The wind rose to 60 mph; we left at 3:45 PM.\n\n";
  const text = para.repeat(5000);
  const opts = { language: "en-us" as const, firstChunkTokens: 30, chunkTokens: 200 };
  // warm up
  for await (const _ of phonemizeChunks(para.repeat(3), opts, res));
  const t0 = performance.now();
  const gen = phonemizeChunks(text, opts, res);
  const first = await gen.next();
  const tFirst = performance.now() - t0;
  expect(first.done).toBe(false);
  expect(first.value!.end).toBeLessThan(para.length);
  let n = 1;
  for await (const _ of gen) n++;
  const tAll = performance.now() - t0;
  expect(n).toBeGreaterThan(5000);
  // The property is that the first chunk does not wait for the whole text (seconds here): the bound is
  // loose because a loaded CI machine pauses now and then (the speed figures are in g2p's bench).
  expect(tFirst).toBeLessThan(250);
  expect(tFirst * 20).toBeLessThan(tAll);
}, 120_000);

test("10,000 words well under the 1 s target (2 s allowed here for loaded CI machines)", async () => {
  const res = await resources("en-us");
  const para =
    "On Dec. 5th, Dr. Smith paid $5.30 for 3,497 apples, then read the report aloud to the whole committee. ";
  const text = para.repeat(Math.ceil(10_000 / para.split(" ").length));
  const opts = { language: "en-us" as const, firstChunkTokens: 30, chunkTokens: 200 };
  const { phonemizeText } = await import("../src/engine");
  const t0 = performance.now();
  const r = await phonemizeText(text, opts, res);
  expect(performance.now() - t0).toBeLessThan(2_000);
  expect(r.chunks.length).toBeGreaterThan(100);
});
