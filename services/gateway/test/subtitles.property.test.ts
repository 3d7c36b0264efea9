import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  type CueReport,
  type ParsedDocument,
  parseSubtitles,
  retimeSubtitles,
  type SubtitleFormat,
  SubtitleParseError,
} from "../src/subtitles";

const FORMATS: (SubtitleFormat | undefined)[] = [undefined, "srt", "vtt", "ass", "text"];

/** Parse, and check every invariant of the result. Returns the document or the parse error. */
function parseChecked(
  input: Uint8Array | string,
  format?: SubtitleFormat,
  filename?: string,
): ParsedDocument | SubtitleParseError {
  let d: ParsedDocument;
  try {
    d = parseSubtitles(input, { ...(format ? { format } : {}), ...(filename ? { filename } : {}) });
  } catch (e) {
    if (!(e instanceof SubtitleParseError)) throw e;
    if (!Number.isInteger(e.line) || e.line < 1) throw new Error(`bad error line ${e.line}`);
    if (!e.message.startsWith(`line ${e.line}: `))
      throw new Error(`message does not name the line: ${e.message}`);
    return e;
  }
  if (d.cues.length === 0) throw new Error("a document with no cues was returned");
  let prev = -1;
  d.cues.forEach((c, i) => {
    if (c.index !== i) throw new Error("index is not the position");
    if (!Number.isFinite(c.start_s) || !Number.isFinite(c.end_s) || c.start_s < 0)
      throw new Error(`bad times ${c.start_s} ${c.end_s}`);
    if (!(c.start_s <= c.end_s)) throw new Error(`start > end: ${c.start_s} > ${c.end_s}`);
    if (d.timed && c.start_s < prev) throw new Error("not sorted by start");
    prev = c.start_s;
    if (c.text === "" || c.text !== c.text.trim() || /\s\s/.test(c.text))
      throw new Error(`bad text ${JSON.stringify(c.text)}`);
    if (!Number.isInteger(c.line) || c.line < 1) throw new Error(`bad line ${c.line}`);
  });
  for (const w of d.warnings)
    if (!Number.isInteger(w.line) || w.line < 1) throw new Error(`bad warning line ${w.line}`);
  return d;
}

const eol = fc.constantFrom("\n", "\r\n", "\r");
const num = (max: number, width: number) =>
  fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, "0"));
const tsArb = fc.oneof(
  fc
    .tuple(num(99, 2), num(59, 2), num(59, 2), fc.constantFrom(",", "."), num(999, 3))
    .map(([h, m, s, sep, f]) => `${h}:${m}:${s}${sep}${f}`),
  fc.tuple(num(9, 1), num(59, 2), num(59, 2), num(99, 2)).map(([h, m, s, c]) => `${h}:${m}:${s}.${c}`),
  fc.string({ maxLength: 14, unit: fc.constantFrom(..."0123456789:.,- x") }),
);
/** Lines that look like pieces of subtitle files, good and bad, to reach deep into the parsers. */
const fragment = fc.oneof(
  fc
    .tuple(
      tsArb,
      fc.constantFrom("-->", "->", "--->", " --> ", "-- >"),
      tsArb,
      fc.constantFrom("", " line:0", " X1:1", "align:start"),
    )
    .map(([a, arrow, b, s]) => `${a}${arrow}${b}${s}`),
  fc.integer({ min: 0, max: 99999 }).map(String),
  fc.constantFrom(
    "",
    " ",
    "WEBVTT",
    "WEBVTT - title",
    "NOTE",
    "NOTE x --> y",
    "STYLE",
    "REGION",
    "[Script Info]",
    "[Events]",
    "[V4+ Styles]",
    "[V4 Styles]",
    "ScriptType: v4.00",
    "; comment",
    "Kind: captions",
  ),
  fc
    .shuffledSubarray(
      ["Layer", "Start", "End", "Style", "Name", "Actor", "MarginL", "Effect", "Text", "Marked"],
      { minLength: 0 },
    )
    .map((c) => `Format: ${c.join(", ")}`),
  fc
    .tuple(
      fc.constantFrom("Dialogue:", "Comment:", "dialogue :", "Picture:"),
      fc.array(fc.oneof(tsArb, fc.string({ maxLength: 8 })), { maxLength: 11 }),
    )
    .map(([k, f]) => `${k} ${f.join(",")}`),
  fc.constantFrom(
    "<i>",
    "</i>",
    "<v Ann>",
    "<v.loud B b>",
    "<c.x>",
    "<00:00:01.000>",
    "<ruby>a<rt>b</rt></ruby>",
    '<font color="red">',
    "&amp;",
    "&#x110000;",
    "&#0;",
    "&#55296;",
    "&#65;",
    "&bogus;",
  ),
  fc.constantFrom(
    "{\\i1}",
    "{\\p1}m 0 0 l 1 1",
    "{\\p0}",
    "{\\k20}",
    "{",
    "}",
    "\\N",
    "\\h",
    "{\\pos(1,2)}",
    "- ",
    "♪",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: "binary" }),
);
const lineSoup = fc
  .tuple(
    fc.array(
      fc.array(fragment, { minLength: 1, maxLength: 4 }).map((p) => p.join("")),
      { maxLength: 40 },
    ),
    eol,
  )
  .map(([lines, e]) => lines.join(e));

// Documents with a valid skeleton and noisy contents, so that cues get through and their text paths run.
const goodTs = (sep: string) =>
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), num(59, 2), num(59, 2), num(999, 3))
    .map(([h, m, s, f]) => `0${h}:${m}:${s}${sep}${f}`);
const timing = (sep: string) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(
          goodTs(sep),
          goodTs(sep),
          fc.constantFrom("", " line:0 align:start", " X1:10 X2:20", "position:10%"),
        )
        .map(([a, b, st]) => `${a} --> ${b}${st}`),
    },
    { weight: 1, arbitrary: fragment },
  );
const word = fc.stringMatching(/^[A-Za-z][A-Za-z',!?.]{0,9}$/);
const payloadLine = fc
  .array(fc.oneof(word, word, fragment, fc.constantFrom("<v Ann>", "<v Ben>", "<v.x Cy D>", "</v>")), {
    minLength: 1,
    maxLength: 6,
  })
  .map((p) => p.join(" "));
const srtish = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.option(fc.nat(3000)),
        timing(","),
        fc.array(payloadLine, { maxLength: 3 }),
        fc.constantFrom("\n", "\n\n", "\n\n\n"),
      ),
      { maxLength: 25 },
    ),
  )
  .map(([blocks]) =>
    blocks.map(([n, t, p, sep]) => [...(n === null ? [] : [String(n)]), t, ...p].join("\n") + sep).join(""),
  );
const vttish = fc
  .tuple(
    fc.constantFrom("WEBVTT\n\n", "WEBVTT - t\nKind: captions\n\n", "WEBVTT\n", ""),
    fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.option(fc.oneof(word, fragment)), timing("."), fc.array(payloadLine, { maxLength: 3 }))
            .map(([id, t, p]) => [...(id === null ? [] : [id]), t, ...p].join("\n")),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(
              fc.constantFrom("NOTE", "NOTE hi", "STYLE", "REGION"),
              fc.array(payloadLine, { maxLength: 2 }),
            )
            .map(([k, p]) => [k, ...p].join("\n")),
        },
      ),
      { maxLength: 25 },
    ),
    fc.constantFrom("\n", "\n\n"),
  )
  .map(([h, blocks, sep]) => h + blocks.join(sep));
const assTime = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9 }), num(59, 2), num(59, 2), num(99, 2))
      .map(([h, m, s, c]) => `${h}:${m}:${s}.${c}`),
  },
  { weight: 1, arbitrary: tsArb },
);
const assText = fc
  .array(
    fc.oneof(
      word,
      fragment,
      fc.constantFrom("{\\p1}m 0 0 l 5 5{\\p0}", "{\\k10}ka", "\\N", "{\\b1}", "{\\p0}", "{\\p3}"),
    ),
    { maxLength: 8 },
  )
  .map((p) => p.join(""));
const assish = fc
  .tuple(
    fc.constantFrom("[Script Info]\nScriptType: v4.00+\n\n", "[Script Info]\nScriptType: v4.00\n\n", ""),
    fc.option(
      fc.shuffledSubarray(
        ["Layer", "Start", "End", "Style", "Name", "Actor", "MarginL", "Effect", "Marked"],
        { minLength: 2 },
      ),
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom("Dialogue", "Dialogue", "Dialogue", "Comment", "Sound"),
        fc.array(fc.oneof(assTime, word, fc.constant("")), { minLength: 0, maxLength: 10 }),
        assTime,
        assTime,
        assText,
      ),
      { maxLength: 25 },
    ),
  )
  .map(([head, cols, events]) => {
    const format = cols === null ? "" : `Format: ${[...cols, "Text"].join(", ")}\n`;
    const lines = events.map(([k, f, a, b, t]) => {
      const fields =
        cols === null
          ? ["0", a, b, "Default", f[0] ?? "", "0", "0", "0", ""]
          : cols.map((c, i) => (c === "Start" ? a : c === "End" ? b : (f[i] ?? "")));
      return `${k}: ${[...fields, t].join(",")}`;
    });
    return `${head}[Events]\n${format}${lines.join("\n")}\n`;
  });
const shapedDoc = fc
  .tuple(fc.oneof(lineSoup, srtish, vttish, assish), eol, fc.boolean())
  .map(([doc, e, bom]) => (bom ? "\uFEFF" : "") + (e === "\n" ? doc : doc.replace(/\n/g, e)));

describe("parse never throws anything but SubtitleParseError", () => {
  test("arbitrary strings, every format", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: "binary" }), fc.constantFrom(...FORMATS), (s, f) => {
        parseChecked(s, f);
      }),
      { numRuns: 600 },
    );
  });
  test("arbitrary bytes, with and without BOMs", () => {
    fc.assert(
      fc.property(
        fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]),
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(...FORMATS),
        (bom, b, f) => {
          const bytes = new Uint8Array(bom.length + b.length);
          bytes.set(bom);
          bytes.set(b, bom.length);
          parseChecked(bytes, f);
        },
      ),
      { numRuns: 600 },
    );
  });
  test("subtitle-shaped noise (timings, tags, sections, events), as text and as UTF-16", () => {
    fc.assert(
      fc.property(
        shapedDoc,
        fc.constantFrom(...FORMATS),
        fc.constantFrom(undefined, "a.srt", "a.vtt", "a.ass", "a.txt"),
        fc.boolean(),
        (s, f, name, utf16) => {
          const input = utf16 ? new Uint8Array(Buffer.from(`\uFEFF${s}`, "utf16le")) : s;
          parseChecked(input, f, name);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

// Round trips: generated valid documents read back exactly.
const textLine = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));
const genCue = fc.record({
  start: fc.integer({ min: 0, max: 36_000_000 - 1 }), // up to 10 h, whole ms
  dur: fc.integer({ min: 0, max: 20_000 }),
  lines: fc.array(textLine, { minLength: 1, maxLength: 3 }),
  numbered: fc.boolean(),
  speaker: fc.option(fc.stringMatching(/^[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?$/), { nil: undefined }),
  italic: fc.boolean(),
});
const tsOut = (ms: number, sep: string) => {
  const p = (n: number, w: number) => String(n).padStart(w, "0");
  return `${p(Math.floor(ms / 3_600_000), 2)}:${p(Math.floor(ms / 60_000) % 60, 2)}:${p(Math.floor(ms / 1000) % 60, 2)}${sep}${p(ms % 1000, 3)}`;
};
type GenCue = {
  start: number;
  dur: number;
  lines: string[];
  numbered: boolean;
  speaker: string | undefined;
  italic: boolean;
};
/** Expected (start, end, text) sorted as the parser sorts: by start, then file order. */
const expectedOf = (cues: GenCue[]) =>
  cues
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.start - b.c.start || a.i - b.i)
    .map(({ c }) => [c.start / 1000, (c.start + c.dur) / 1000, c.lines.join(" ")]);

describe("round trips", () => {
  test("generated SRT (numbers missing or shuffled, tags, any line ends, BOM) reads back exactly", () => {
    fc.assert(
      fc.property(
        fc.array(genCue, { minLength: 1, maxLength: 30 }),
        eol,
        fc.boolean(),
        fc.boolean(),
        (cues, e, bom, finalEol) => {
          const doc = cues
            .map((c, i) => {
              const lines = c.italic ? c.lines.map((l) => `<i>${l}</i>`) : c.lines;
              return [
                ...(c.numbered ? [String(cues.length - i)] : []),
                `${tsOut(c.start, ",")} --> ${tsOut(c.start + c.dur, ",")}`,
                ...lines,
              ].join(e);
            })
            .join(e + e);
          const d = parseChecked((bom ? "\uFEFF" : "") + doc + (finalEol ? e : ""));
          if (d instanceof SubtitleParseError) throw d;
          expect(d.format).toBe("srt");
          expect(d.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(expectedOf(cues));
        },
      ),
      { numRuns: 300 },
    );
  });
  test("generated WebVTT (ids, settings, voices, NOTE blocks) reads back exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(genCue, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 30 }),
        eol,
        (items, e) => {
          const blocks = items.map(([c, withId, withNote], i) => {
            const payload = c.lines.map((l, k) =>
              k === 0 && c.speaker ? `<v ${c.speaker}>${l}` : c.italic ? `<i>${l}</i>` : l,
            );
            const cue = [
              ...(withId ? [`cue-${i}`] : []),
              `${tsOut(c.start, ".")} --> ${tsOut(c.start + c.dur, ".")}${c.numbered ? " align:start line:10%" : ""}`,
              ...payload,
            ].join(e);
            return withNote ? `NOTE a note${e}over lines${e}${e}${cue}` : cue;
          });
          const d = parseChecked(`WEBVTT${e}${e}${blocks.join(e + e)}${e}`);
          if (d instanceof SubtitleParseError) throw d;
          const cues = items.map(([c]) => c);
          expect(d.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(expectedOf(cues));
          const speakers = cues
            .map((c, i) => ({ c, i }))
            .sort((a, b) => a.c.start - b.c.start || a.i - b.i)
            .map(({ c }) => c.speaker);
          expect(d.cues.map((c) => c.speaker)).toEqual(speakers);
        },
      ),
      { numRuns: 300 },
    );
  });
  test("generated ASS with the Format columns in any order reads back exactly", () => {
    const COLS = ["Layer", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect"];
    fc.assert(
      fc.property(
        fc.array(genCue, { minLength: 1, maxLength: 20 }),
        fc.shuffledSubarray(COLS, { minLength: COLS.length }),
        (cues, order) => {
          const t = (ms: number) =>
            `${Math.floor(ms / 3_600_000)}:${String(Math.floor(ms / 60_000) % 60).padStart(2, "0")}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}.${String(Math.floor(ms / 10) % 100).padStart(2, "0")}`;
          const cs = (c: GenCue) => ({
            ...c,
            start: Math.floor(c.start / 10) * 10,
            dur: Math.floor(c.dur / 10) * 10,
          });
          const rounded = cues.map(cs);
          const lines = rounded.map((c) => {
            const v: Record<string, string> = {
              Layer: "0",
              Start: t(c.start),
              End: t(c.start + c.dur),
              Style: "Default",
              Name: c.speaker ?? "",
              MarginL: "0",
              MarginR: "0",
              MarginV: "0",
              Effect: "",
            };
            return `Dialogue: ${[...order.map((k) => v[k]), (c.italic ? "{\\i1}" : "") + c.lines.join("\\N")].join(",")}`;
          });
          const d = parseChecked(
            `[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: ${[...order, "Text"].join(", ")}\n${lines.join("\n")}\n`,
          );
          if (d instanceof SubtitleParseError) throw d;
          // Identical events (same times, name and text) are spoken once.
          const seen = new Set<string>();
          const unique = rounded.filter((c) => {
            const k = `${c.start}|${c.dur}|${c.speaker ?? ""}|${c.lines.join(" ")}`;
            return seen.has(k) ? false : (seen.add(k), true);
          });
          expect(d.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(expectedOf(unique));
        },
      ),
      { numRuns: 300 },
    );
  });
  test("re-timed SRT and VTT read back with the reported times", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(genCue, fc.integer({ min: 0, max: 24000 * 30 })), { minLength: 1, maxLength: 20 }),
        (items) => {
          const srt = items
            .map(
              ([c], i) =>
                `${i + 1}\n${tsOut(c.start, ",")} --> ${tsOut(c.start + c.dur, ",")}\n${c.lines.join("\n")}\n`,
            )
            .join("\n");
          const d = parseChecked(srt);
          if (d instanceof SubtitleParseError) throw d;
          const report: CueReport[] = d.cues.map((c, k) => {
            const start_sample = Math.round(c.start_s * 24000);
            const speech_samples = items[k]![1];
            return {
              index: c.index,
              start_s: c.start_s,
              end_s: c.end_s,
              speech_s: speech_samples / 24000,
              speed: 1,
              overflow_s: 0,
              overlaps_next: false,
              start_sample,
              speech_samples,
              overflow_samples: 0,
              attempts: 1,
            };
          });
          for (const target of ["srt", "vtt"] as const) {
            const out = retimeSubtitles(
              { cues: d.cues, sourceFormat: "srt", report, sampleRate: 24000 },
              target,
            );
            const back = parseChecked(out);
            if (back instanceof SubtitleParseError) throw back;
            expect(back.format).toBe(target);
            expect(back.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(
              report.map((r, k) => [
                Math.round((r.start_sample * 1000) / 24000) / 1000,
                Math.round(((r.start_sample + r.speech_samples) * 1000) / 24000) / 1000,
                d.cues[k]!.text,
              ]),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
