/** The gateway's /v1/audio/phonemize body, built from a real G2pResult. */
import { expect, test } from "bun:test";
import { phonemizeText } from "../src/engine";
import { phonemizeResponse } from "../src/response";
import { resources } from "./shared";

test("phonemizeResponse has the issue's shape and offsets into the input", async () => {
  const input = "Dr. Smith paid $5.30. [pause:0.5s] Then he left, quickly.";
  const r = await phonemizeText(
    input,
    { language: "en-us", firstChunkTokens: 10, chunkTokens: 200 },
    await resources(),
  );
  const body = phonemizeResponse(r, input);
  expect(Object.keys(body).sort()).toEqual(["chunks", "language", "normalized", "phonemes", "tokens"]);
  expect(body.language).toBe("en-us");
  expect(body.normalized).toContain("five dollars and thirty cents");
  expect(body.tokens).toEqual(r.chunks.flatMap((c) => c.tokens));
  expect(body.chunks.length).toBeGreaterThanOrEqual(2);
  // the pause tag ends the chunk with "$5.30." and adds its silence to the sentence's
  const paused = body.chunks.find((c) => c.text.endsWith("$5.30."))!;
  expect(paused.pause_after_s).toBeCloseTo(0.7, 5);
  expect(body.chunks[body.chunks.length - 1]!.text).toBe("Then he left, quickly.");
  for (const c of body.chunks) {
    expect(Object.keys(c).sort()).toEqual([
      "normalized",
      "pause_after_s",
      "phonemes",
      "text",
      "tokens",
      "words",
    ]);
    for (const w of c.words) {
      expect(Object.keys(w).sort()).toEqual(["end", "normalized", "phonemes", "start", "text"]);
      expect(input.slice(w.start, w.end)).toBe(w.text);
    }
  }
  const money = body.chunks.flatMap((c) => c.words).find((w) => w.text.startsWith("$5.30"))!;
  expect(money.normalized).toBe("five dollars and thirty cents");
  expect(money.start).toBe(input.indexOf("$5.30"));
});
