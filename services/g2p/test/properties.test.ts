/**
 * Property-based: for any input the pipeline gives a clear 4xx or a result in
 * which every non-space character is covered by a word span, spans never go
 * backwards, chunks stay within 510 tokens and token spans add up.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { AppError } from "@kokoro-edge/runtime";
import { G2pResult } from "@kokoro-edge/proto";
import { phonemizeText } from "../src/engine";
import { resources } from "./shared";

const PIECES = [
  "Hello",
  "world",
  "read",
  "lead",
  "the",
  "a",
  "I",
  "Dr.",
  "St.",
  "etc.",
  "e.g.",
  "U.S.",
  "FBI",
  "NASA",
  "PhD",
  "Henry",
  "VIII",
  "IV",
  "$5.30",
  "£1",
  "€20.50",
  "¥1000",
  "$5.3M",
  "2bn",
  "3,497",
  "3.14",
  "-5",
  "5th",
  "21st",
  "40-60",
  "40–60",
  "1/2",
  "3/4",
  "1990",
  "1990s",
  "'90s",
  "50%",
  "20°C",
  "5 km",
  "60 mph",
  "3kg",
  "10 km/h",
  "3:45 PM",
  "15:30",
  "Dec. 5th",
  "December 5, 2025",
  "2025-12-05",
  "12/05/2025",
  "No. 5",
  "https://example.com/a?b=c",
  "john@example.com",
  "#tag",
  "@handle",
  "&",
  "+",
  "@",
  "#",
  "=",
  "“",
  "”",
  "‘",
  "’",
  "—",
  "–",
  "-",
  "…",
  "...",
  "!",
  "?",
  ",",
  ";",
  ":",
  "(",
  ")",
  "[pause:0.5s]",
  "[kokoro](/kˈOkəɹO/)",
  "🎉",
  "👍🏽",
  "❤️",
  "\u0000",
  "\u0007",
  "\u200b",
  "\u00ad",
  "\ud800",
  "\udfff",
  "مرحبا",
  "שלום",
  "東京",
  "Москва",
  "café",
  "naïve",
  "\n\n",
  "\t",
  "  ",
  "'",
  '"',
  "*",
  "_",
  "|",
  "~",
  "<",
  ">",
  "1",
  "0",
  "007",
  "1,000,000,000,000,000,000,000,000,000,000,000,000,000",
  "x".repeat(300),
  "9".repeat(120),
];

const structured = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom("", " ", " ", "\n", ", ", ". ")), {
    minLength: 1,
    maxLength: 25,
  })
  .map((parts) => parts.map(([p, s]) => p + s).join(""));
const anyText = fc.oneof(
  structured,
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(..."aZ9 .,!?'-$%:/\u00e9\u0301"), maxLength: 40 }),
);

const PAUSE = /\[pause:\s*\d{1,3}(?:\.\d+)?\s*(?:ms|s)?\s*\]/g;

function checkCoverage(text: string, r: G2pResult) {
  expect(G2pResult.safeParse(r).success).toBe(true);
  const covered = new Uint8Array(text.length);
  for (const m of text.matchAll(PAUSE)) covered.fill(1, m.index!, m.index! + m[0].length);
  let last = 0;
  for (const c of r.chunks) {
    expect(c.tokens.length).toBeLessThanOrEqual(510);
    expect(c.tokens.length).toBe(c.phonemes.length);
    for (const w of c.words) {
      expect(w.start).toBeGreaterThanOrEqual(last); // never backwards, never overlapping
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.text).toBe(text.slice(w.start, w.end));
      expect(w.token_end - w.token_start).toBe(w.phonemes.length);
      expect(c.phonemes.slice(w.token_start, w.token_end)).toBe(w.phonemes);
      covered.fill(1, w.start, w.end);
      last = w.end;
    }
  }
  for (let i = 0; i < text.length; i++) {
    if (!covered[i] && !/\s/.test(text[i]!))
      throw new Error(
        `character ${i} (${JSON.stringify(text[i])}) near ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 40))} (length ${text.length}) is not covered`,
      );
  }
}

describe("properties", () => {
  test("any input: a 4xx or a fully covered, ordered, bounded result", async () => {
    const res = await resources("en-us");
    await fc.assert(
      fc.asyncProperty(anyText, fc.constantFrom(12, 30, 200), async (text, firstChunk) => {
        try {
          const r = await phonemizeText(
            text,
            { language: "en-us", firstChunkTokens: firstChunk, chunkTokens: 200 },
            res,
          );
          checkCoverage(text, r);
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
        }
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  test("en-gb too", async () => {
    const res = await resources("en-gb");
    await fc.assert(
      fc.asyncProperty(structured, async (text) => {
        try {
          checkCoverage(
            text,
            await phonemizeText(text, { language: "en-gb", firstChunkTokens: 30, chunkTokens: 200 }, res),
          );
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  test("long inputs normalised block by block: still fully covered and ordered", async () => {
    const res = await resources("en-us");
    const long = fc.array(structured, { minLength: 120, maxLength: 250 }).map((parts) => parts.join(" "));
    await fc.assert(
      fc.asyncProperty(long, async (text) => {
        try {
          checkCoverage(
            text,
            await phonemizeText(text, { language: "en-us", firstChunkTokens: 30, chunkTokens: 200 }, res),
          );
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
        }
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  test("bad input from the issue: clear 4xx or a correct result", async () => {
    const res = await resources("en-us");
    const run = (t: string) =>
      phonemizeText(t, { language: "en-us", firstChunkTokens: 30, chunkTokens: 200 }, res);
    await expect(run("")).rejects.toMatchObject({ status: 400, code: "empty_input" });
    await expect(run(" \n\t ")).rejects.toMatchObject({ status: 400, code: "empty_input" });
    await expect(run("?!... ,;")).rejects.toMatchObject({ status: 400, code: "no_speakable_text" });
    await expect(run("🎉👍🏽❤️")).rejects.toMatchObject({ status: 400, code: "no_speakable_text" });
    for (const t of [
      "a\u0000b",
      "hello \ud800 world",
      "שלום world",
      "Hello 東京 and Москва",
      "x".repeat(5000),
    ])
      checkCoverage(t, await run(t));
    // a long text ending in emoji: the last marks still belong to a word
    const tail = "Hello there, friend. ".repeat(452) + "🎉 ".repeat(1500); // the second block would start in the emoji
    checkCoverage(tail, await run(tail));
    const hugeTail = "Hello there, friend.\n\n".repeat(460) + "🎉 ".repeat(20_000);
    checkCoverage(hugeTail, await run(hugeTail));
    // a long URL said piece by piece: split between chunks, nothing dropped
    const url = "https://example.com/" + Array.from({ length: 45 }, (_, i) => "xq" + (i % 10)).join("/");
    const long = `Go to ${url} now.`;
    const lr = await run(long);
    checkCoverage(long, lr);
    expect(lr.normalized.endsWith("now")).toBe(true);
    expect(
      lr.chunks
        .flatMap((c) => c.words)
        .map((w) => w.normalized)
        .join(" ")
        .split(" ")
        .filter((w) => w === "slash").length,
    ).toBe(45);
    const big = "supercalifragilistic".repeat(50_000); // 1 MB of one word
    const t0 = performance.now();
    const r = await run(big);
    checkCoverage(big, r);
    expect(r.chunks.length).toBeGreaterThan(100);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 120_000);
});

describe("words that are Object.prototype's names (found by the fuzz run)", () => {
  test("constructor, toString, __proto__ and friends are words like any other", async () => {
    const names = [
      "constructor",
      "Constructor",
      "__proto__",
      "toString",
      "valueOf",
      "hasOwnProperty",
      "isPrototypeOf",
      "propertyIsEnumerable",
      "toLocaleString",
      "__defineGetter__",
    ];
    for (const language of ["en-us", "en-gb"] as const) {
      for (const text of [
        ...names,
        names.map((n) => `${n} Smith`).join(" "),
        names.map((n) => `5 ${n}`).join(", "),
        `${names.join(". ")}.`,
      ]) {
        const r = await phonemizeText(
          text,
          { language, firstChunkTokens: 15, chunkTokens: 200 },
          await resources(),
        );
        checkCoverage(text, r);
      }
    }
  });
});
