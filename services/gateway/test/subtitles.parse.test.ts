import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  decodeSubtitleBytes,
  detectFormat,
  makeVoiceResolver,
  parseSubtitles,
  SubtitleParseError,
  type ParsedDocument,
  unmappedSpeakers,
} from "../src/subtitles";
import { filmToAss, filmToSrt, filmToVtt, generateFilm } from "./fixtures/subtitles/film";

const dir = join(import.meta.dir, "fixtures/subtitles");
const bytes = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
const parseFile = (f: string) => parseSubtitles(bytes(f), { filename: f });
const summary = (d: ParsedDocument) => d.cues.map((c) => [c.start_s, c.end_s, c.text, c.speaker ?? null]);
const warned = (d: ParsedDocument, line: number, re: RegExp) =>
  d.warnings.some((w) => w.line === line && re.test(w.message));

describe("decode", () => {
  test("UTF-8 BOM and CRLF are removed", () => {
    const b = bytes("bom-crlf-tags.srt");
    expect([...b.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(b)).toContain("\r\n");
    const d = decodeSubtitleBytes(b);
    expect(d.encoding).toBe("utf-8");
    expect(d.text.startsWith("1\n00:00:01,600")).toBe(true);
    expect(d.text).not.toContain("\r");
  });
  test("UTF-16 LE with BOM, UTF-16 BE without, lone CR, Windows-1252", () => {
    expect(decodeSubtitleBytes(bytes("utf16le-bom.srt")).encoding).toBe("utf-16le");
    expect(decodeSubtitleBytes(bytes("utf16be-nobom.vtt")).encoding).toBe("utf-16be");
    const cp = decodeSubtitleBytes(bytes("cp1252-cr.srt"));
    expect(cp.encoding).toBe("windows-1252");
    expect(cp.text).toBe("1\n00:00:01,000 --> 00:00:02,000\nVoilà, déjà vu – naïve.\n");
  });
  test("UTF-16 BE with BOM and UTF-16 LE without BOM", () => {
    const s = "1\r\n00:00:01,000 --> 00:00:02,000\r\nÀ bientôt\r\n";
    const le = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) le[2 * i] = s.charCodeAt(i);
    const be = new Uint8Array(2 + s.length * 2);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < s.length; i++) be[3 + 2 * i] = s.charCodeAt(i);
    for (const b of [le, be]) {
      const d = parseSubtitles(b);
      expect(d.format).toBe("srt");
      expect(summary(d)).toEqual([[1, 2, "À bientôt", null]]);
    }
  });
});

describe("detect", () => {
  test("content decides, the extension only breaks ties", () => {
    const ass = readFileSync(join(dir, "episode.ass"), "utf8");
    const vtt = readFileSync(join(dir, "voices-settings.vtt"), "utf8");
    const srt = readFileSync(join(dir, "broken-timestamp.srt"), "utf8");
    expect(detectFormat(ass, "movie.srt")).toBe("ass");
    expect(detectFormat(vtt, "movie.srt")).toBe("vtt");
    expect(detectFormat(srt, "movie.ass")).toBe("srt");
    expect(detectFormat(srt, "movie.vtt")).toBe("vtt"); // arrows and no header: the extension says which
    expect(detectFormat("Just some words.\n")).toBe("text");
    expect(detectFormat("Just some words.\n", "x.txt")).toBe("text");
    // No format in the content: the extension decides, so a garbled subtitle file is an error, not text to read.
    expect(detectFormat("Just some words.\n", "x.srt")).toBe("srt");
    expect(() => parseSubtitles("Just some words.\n", { filename: "x.srt" })).toThrow(
      /^line 1: no usable SRT cue found/,
    );
    expect(detectFormat("1\n00:00:0x,000 --> 00:00:02,000\nHi\n")).toBe("srt");
    expect(detectFormat("Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi\n")).toBe("ass");
  });
});

describe("SRT", () => {
  test("BOM, CRLF, HTML tags, {\\an8}, entities, dialogue dashes, no final newline", () => {
    const raw = bytes("bom-crlf-tags.srt");
    expect(raw[raw.length - 1]).not.toBe(0x0a);
    const d = parseFile("bom-crlf-tags.srt");
    expect(d.format).toBe("srt");
    expect(d.warnings).toEqual([]);
    expect(summary(d)).toEqual([
      [1.6, 4.2, "Previously on The Harbour...", null],
      [4.9, 7.35, "You said you'd be back by noon.", null],
      [7.4, 9.1, "I know. Then where were you?", null],
      [9.5, 12, "[DOOR SLAMS]", null],
      [12.25, 15.8, "Fish & chips, café au lait, and nothing else.", null],
      [62.003, 64.5, "It's 3 < 4, isn't it?", null],
    ]);
    expect(d.cues.map((c) => c.id)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(d.cues.map((c) => c.line)).toEqual([2, 6, 10, 15, 19, 24]);
    expect(d.cues[2]!.raw).toBe("- I know.\n- Then where were you?");
    expect(d.cues[1]!.raw).toBe('<font color="#ffff00">You said you\'d be back by noon.</font>');
  });

  test("missing and out-of-order numbers, overlaps, dots, blank line inside a cue, coordinates", () => {
    const d = parseFile("numbers-order-overlap.srt");
    expect(summary(d)).toEqual([
      [1, 3, "No number on this one.", null],
      [2.5, 5, "This one overlaps the first.", null],
      [5, 6.5, "Dots instead of commas. And a blank line inside the cue.", null],
      [10, 12, "Seventh in the file, but third in time.", null],
      [20, 21, "Coordinates after the timing.", null],
    ]);
    expect(d.cues.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(d.cues.map((c) => c.id)).toEqual([undefined, "2", "12", "7", "3"]);
    expect(warned(d, 7, /not in time order/)).toBe(true);
    expect(warned(d, 11, /overlaps the cue at line 7/)).toBe(true);
  });

  test("a malformed timestamp skips that cue with a warning naming its line", () => {
    const d = parseFile("broken-timestamp.srt");
    expect(summary(d)).toEqual([
      [1, 2, "First.", null],
      [5, 6, "Third.", null],
      [7, 8, "Short arrow still reads.", null],
      [9, 9, "Ends before it starts.", null],
    ]);
    expect(warned(d, 6, /malformed timing line "00:00:03,000 --> 00:0x:04,000"/)).toBe(true);
    expect(warned(d, 18, /ends before it starts/)).toBe(true);
  });

  test("no usable cue: SubtitleParseError naming the line", () => {
    let err: unknown;
    try {
      parseFile("no-usable-cue.srt");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SubtitleParseError);
    expect((err as SubtitleParseError).line).toBe(2);
    expect((err as SubtitleParseError).message).toMatch(/^line 2: .*malformed timing line/);
  });

  test("empty and blank documents", () => {
    for (const s of ["", "\uFEFF", "\n\n  \r\n"]) {
      expect(() => parseSubtitles(s)).toThrow(SubtitleParseError);
      try {
        parseSubtitles(s);
      } catch (e) {
        expect((e as SubtitleParseError).line).toBe(1);
        expect((e as Error).message).toContain("empty");
      }
    }
    expect(() => parseSubtitles(new Uint8Array(0))).toThrow(SubtitleParseError);
  });

  test("\\N and \\h left by ASS converters are spaces", () => {
    expect(parseSubtitles("1\n00:00:01,000 --> 00:00:02,000\nOne\\Ntwo\\hthree\n").cues[0]!.text).toBe(
      "One two three",
    );
    expect(
      parseSubtitles("1\n00:00:01,000 --> 00:00:02,000\nOne<br>two<BR/>three<br />four\n").cues[0]!.text,
    ).toBe("One two three four");
  });

  test("UTF-16 LE file and legacy CR-only Windows-1252 file", () => {
    expect(summary(parseFile("utf16le-bom.srt"))).toEqual([
      [0.5, 2, "Grüße aus Köln.", null],
      [2.5, 4, "日本語も大丈夫。", null],
    ]);
    const cp = parseFile("cp1252-cr.srt");
    expect(summary(cp)).toEqual([[1, 2, "Voilà, déjà vu – naïve.", null]]);
    expect(cp.encoding).toBe("windows-1252");
    expect(warned(cp, 1, /Windows-1252/)).toBe(true);
  });
});

describe("WebVTT", () => {
  test("header, NOTE, STYLE, REGION, ids, settings, voice spans, classes, ruby, inline timestamps", () => {
    const d = parseFile("voices-settings.vtt");
    expect(d.format).toBe("vtt");
    expect(d.warnings).toEqual([]);
    expect(summary(d)).toEqual([
      [1, 3.5, "Where were you?", "Mara"],
      [3.6, 6, "I was out, Mara.", "Tom Baker"],
      [6.2, 9, "Out where, exactly?", "Mara"],
      [9.5, 11, "漢字 are fine & well.", null],
      [3600, 3602, "An hour in.", null],
    ]);
    expect(d.cues.map((c) => c.id)).toEqual(["intro", undefined, undefined, "3", undefined]);
    expect(d.cues[0]!.line).toBe(21);
    expect(d.cues[1]!.raw).toBe("<v.loud Tom Baker>I was <i>out</i>, <c.yellow>Mara</c>.");
  });

  test("forgotten blank line, empty cue, out-of-range time, no final newline", () => {
    const d = parseFile("sloppy.vtt");
    expect(summary(d)).toEqual([
      [1, 2, "One.", null],
      [2, 3, "Two, right after.", null],
      [5, 6, "Five.", null],
    ]);
    expect(d.cues.map((c) => c.id)).toEqual(["1", "2", "5"]);
    expect(warned(d, 11, /no text to speak/)).toBe(true);
    expect(warned(d, 15, /malformed timing line/)).toBe(true);
  });

  test("UTF-16 BE without BOM", () => {
    expect(summary(parseFile("utf16be-nobom.vtt"))).toEqual([
      [0, 1.5, "Big endian, no byte order mark.", null],
    ]);
  });

  test("several voices in one cue: first is the speaker, with a warning", () => {
    const d = parseSubtitles("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi.\n<v Ben>Hello.\n");
    expect(summary(d)).toEqual([[1, 2, "Hi. Hello.", "Ann"]]);
    expect(warned(d, 3, /several voices \(Ann, Ben\)/)).toBe(true);
  });
});

describe("ASS / SSA", () => {
  test("styles, Name, override tags, \\N \\n \\h, drawings, Comment lines, commas in text, layered duplicates", () => {
    const d = parseFile("episode.ass");
    expect(d.format).toBe("ass");
    expect(summary(d)).toEqual([
      [1.5, 4.2, "Where were you? I waited, all night.", "Mara"],
      [4.3, 6, "Out. Just out.", "Tom"],
      [6, 9, "HARBOUR MASTER", null],
      [9.1, 11, "Soft break and hard space, then more.", "Mara"],
      [11.2, 13.4, "Commas, in the text, are kept.", "Tom"],
      [600, 602.5, "{unclosed brace stays", null],
    ]);
    expect(d.cues[0]!.raw).toBe("{\\i1}Where were you?{\\i0}\\NI waited, all night.");
    expect(d.cues[0]!.line).toBe(17);
    expect(d.cues.some((c) => /commented|TODO|m 0 0/.test(c.text))).toBe(false);
    expect(warned(d, 21, /1 event\(s\) repeating/)).toBe(true);
  });

  test("Format column order is read, not assumed", () => {
    const d = parseFile("reordered-columns.ass");
    expect(summary(d)).toEqual([
      [0.5, 1.75, "First!", "Ben"],
      [2, 3, "Second, by time.", "Ann"],
    ]);
  });

  test("karaoke: \\k tags removed, syllables joined, templates (Comment) not spoken, fx layers once", () => {
    const d = parseFile("karaoke.ass");
    expect(summary(d)).toEqual([
      [12, 16, "kono michi wo", null],
      [12, 16, "Along this road", null],
      [16.2, 20, "aruite yuku", null],
      [16.2, 20, "I keep on walking", null],
    ]);
    expect(warned(d, 16, /overlaps/)).toBe(true);
  });

  test("SSA v4 with Marked column and CRLF", () => {
    expect(summary(parseFile("legacy.ssa"))).toEqual([[1, 2.5, "Long ago, in SSA.", "NARRATOR"]]);
  });

  test("Dialogue with too few fields or a bad time: skipped with the line; none left: error", () => {
    const doc =
      "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00\nDialogue: 0,0:00:xx.00,0:00:02.00,Default,,0,0,0,,Hi\n";
    try {
      parseSubtitles(doc);
      throw new Error("did not throw");
    } catch (e) {
      expect(e).toBeInstanceOf(SubtitleParseError);
      expect((e as SubtitleParseError).line).toBe(3);
    }
    const d = parseSubtitles(`${doc}Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Fine\n`);
    expect(summary(d)).toEqual([[3, 4, "Fine", null]]);
    expect(warned(d, 3, /3 of 10 fields/)).toBe(true);
    expect(warned(d, 4, /malformed time "0:00:xx.00"/)).toBe(true);
  });
});

describe("speakers to voices", () => {
  test("exact name, then ignoring case and spacing; default otherwise", () => {
    const d = parseFile("voices-settings.vtt");
    const map = { mara: "af_bella", "Tom  Baker": "am_adam", Nobody: "bf_emma" };
    const voiceOf = makeVoiceResolver("af_heart", map);
    expect(d.cues.map(voiceOf)).toEqual(["af_bella", "am_adam", "af_bella", "af_heart", "af_heart"]);
    expect(makeVoiceResolver("x", { Mara: "exact", mara: "loose" })({ speaker: "Mara" })).toBe("exact");
    expect(unmappedSpeakers(parseFile("episode.ass").cues, { MARA: "v" })).toEqual(["Tom"]);
  });
});

describe("plain text", () => {
  test("one untimed cue per paragraph", () => {
    const d = parseFile("notes.txt");
    expect(d.format).toBe("text");
    expect(d.timed).toBe(false);
    expect(d.cues.map((c) => [c.text, c.line])).toEqual([
      ["The first paragraph runs over two lines.", 1],
      ["The second paragraph.", 4],
    ]);
  });
});

describe("generated 1,500-cue film", () => {
  const film = generateFilm({ cues: 1500, seed: 11 });
  const expected = film.map((c) => [c.startMs / 1000, c.endMs / 1000, c.text]);
  test("SRT (CRLF), VTT with voices, ASS with overrides all read back every cue exactly", () => {
    const t0 = performance.now();
    const srt = parseSubtitles(new TextEncoder().encode(filmToSrt(film)), { filename: "film.srt" });
    const vtt = parseSubtitles(filmToVtt(film));
    const ass = parseSubtitles(filmToAss(film));
    const ms = performance.now() - t0;
    expect(srt.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(expected);
    expect(vtt.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(expected);
    expect(vtt.cues.map((c) => c.speaker)).toEqual(film.map((c) => c.speaker));
    // ASS keeps centiseconds.
    expect(ass.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(
      film.map((c) => [Math.round(c.startMs / 10) / 100, Math.round(c.endMs / 10) / 100, c.text]),
    );
    expect(srt.warnings).toEqual([]);
    expect(srt.cues[1499]!.id).toBe("1500");
    expect(ms).toBeLessThan(3000);
  });
});

describe("hostile input", () => {
  const vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n";
  const srt = "1\n00:00:01,000 --> 00:00:02,000\n";
  const n = 200_000;
  // Each of these took tens of seconds with a backtracking regex somewhere; all must stay linear.
  const cases: Record<string, string> = {
    "blanks before an arrow": `0${" ".repeat(n)}x-->`,
    "blanks around an arrow": `0${" ".repeat(n)}-->${" ".repeat(n)}x`,
    "trailing blanks inside a line": `${srt}a${" ".repeat(n)}x`,
    "unclosed ruby text": `${vtt}a${"<rt>".repeat(n / 4)}`,
    "closed ruby text": `${vtt}${"<ruby>a<rt>b</rt></ruby>".repeat(n / 20)}`,
    "voice tag full of blanks": `${vtt}<v${" ".repeat(n)}x`,
    "tags never closed": `${srt}${"<a".repeat(n)}`,
    "override blocks never closed": `${srt}${"{\\".repeat(n)}`,
    "drawing mode toggled": `[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,D,,0,0,0,,${"{\\p1}x{\\p0}y".repeat(n / 10)}`,
    "a cue number line of blanks": `1${" ".repeat(n)}x\n00:00:01,000 --> 00:00:02,000\nhi`,
    entities: `${srt}${"&#".repeat(n)}&amp;`,
    "one malformed cue per line": "00:00:0x,000 --> 00:00:02,000\n".repeat(n / 4),
  };
  for (const [name, doc] of Object.entries(cases)) {
    test(name, () => {
      const t0 = performance.now();
      try {
        const d = parseSubtitles(doc);
        expect(d.warnings.length).toBeLessThanOrEqual(201);
      } catch (e) {
        expect(e).toBeInstanceOf(SubtitleParseError);
      }
      expect(performance.now() - t0).toBeLessThan(2000);
    });
  }
  test("warnings are capped, with a count of the rest", () => {
    const d = parseSubtitles(
      `${"00:00:0x,000 --> 00:00:02,000\nbad\n\n".repeat(500)}00:00:03,000 --> 00:00:04,000\ngood\n`,
    );
    expect(d.cues.map((c) => c.text)).toEqual(["good"]);
    expect(d.warnings.length).toBe(201);
    expect(d.warnings[200]!.message).toBe("300 more warning(s) not listed");
  });
});
