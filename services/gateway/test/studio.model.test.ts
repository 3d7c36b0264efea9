/** The studio's document edits and undo history, as pure functions (no browser needed). */
import { describe, expect, test } from "bun:test";
import { commit, historyOf, redo, undo } from "../studio/history";
import {
  docFromParsed,
  formatTime,
  mergeWithNext,
  overlaps,
  parseTime,
  splitCue,
  toRenderVtt,
  updateCue,
  voiceOf,
  type StudioDoc,
} from "../studio/model";
import { metricValues } from "../studio/panels";
import { parseSubtitles } from "../src/subtitles/parse";

const base = (): StudioDoc =>
  docFromParsed(
    {
      format: "srt",
      timed: true,
      cues: [
        { start_s: 1, end_s: 3, text: "one two three four", speaker: "Ann" },
        { start_s: 2.5, end_s: 5, text: "five six" },
      ],
    },
    "af_heart",
  );

describe("studio model", () => {
  test("split divides text at a word and time in proportion; merge joins them back", () => {
    const d = base();
    const s = splitCue(d, d.cues[0]!.id);
    expect(s.cues.map((c) => c.text)).toEqual(["one two", "three four", "five six"]);
    expect(s.cues[0]!.end_s).toBeCloseTo(s.cues[1]!.start_s, 6);
    expect(s.cues[0]!.end_s).toBeGreaterThan(1.7);
    expect(s.cues[0]!.end_s).toBeLessThan(1.9);
    expect(new Set(s.cues.map((c) => c.id)).size).toBe(3);
    const m = mergeWithNext(s, s.cues[0]!.id);
    expect(m.cues.map((c) => [c.text, c.start_s, c.end_s])).toEqual([
      ["one two three four", 1, 3],
      ["five six", 2.5, 5],
    ]);
    expect(d.cues).toHaveLength(2); // the original is untouched
  });

  test("overlaps, voices by cue, speaker and track", () => {
    const d = base();
    expect([...overlaps(d)]).toEqual([d.cues[1]!.id]);
    expect(voiceOf(d, d.cues[0]!)).toBe("af_heart");
    const mapped = { ...d, speakers: { Ann: "af_bella" } };
    expect(voiceOf(mapped, mapped.cues[0]!)).toBe("af_bella");
    const own = updateCue(mapped, d.cues[0]!.id, { voice: "am_adam" });
    expect(voiceOf(own, own.cues[0]!)).toBe("am_adam");
    expect(voiceOf(own, own.cues[1]!)).toBe("af_heart");
  });

  test("untimed text gets slots one after another", () => {
    const d = docFromParsed(
      {
        format: "text",
        timed: false,
        cues: [
          { start_s: 0, end_s: 0, text: "A first paragraph." },
          { start_s: 0, end_s: 0, text: "A second." },
        ],
      },
      "af_heart",
    );
    expect(d.cues[0]!.start_s).toBe(0);
    expect(d.cues[1]!.start_s).toBeGreaterThan(d.cues[0]!.end_s);
  });

  test("times format and parse both ways", () => {
    expect(formatTime(3723.456)).toBe("01:02:03,456");
    expect(formatTime(1.5, ".")).toBe("00:00:01.500");
    expect(parseTime("01:02:03,456")).toBeCloseTo(3723.456, 6);
    expect(parseTime("1:02.5")).toBeCloseTo(62.5, 6);
    expect(parseTime("abc")).toBeNaN();
  });

  test("the render VTT carries each cue's voice through the speakers map and parses back to the same cues", () => {
    const d = updateCue(base(), base().cues[0]!.id, {});
    const withVoice = updateCue(d, d.cues[1]!.id, { voice: "am_adam", text: "a <b> c" });
    const { document, speakers } = toRenderVtt(withVoice);
    const parsed = parseSubtitles(document, { format: "vtt" });
    expect(parsed.cues.map((c) => [c.start_s, c.end_s, speakers[c.speaker!]])).toEqual([
      [1, 3, "af_heart"],
      [2.5, 5, "am_adam"],
    ]);
    expect(parsed.cues[1]!.text).toBe("a <b> c");
  });

  test("undo and redo walk every edit; a new edit drops the redo branch", () => {
    let h = historyOf(1);
    h = commit(h, 2);
    h = commit(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = undo(h);
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(2);
    h = commit(h, 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  test("the status panel sums Prometheus samples over labels", () => {
    const v = metricValues(
      '# HELP x\nkokoro_ttfa_seconds_sum{route="a"} 1.5\nkokoro_ttfa_seconds_sum{route="b"} 0.5\nkokoro_synth_replicas_ready 2\n',
    );
    expect(v).toEqual({ kokoro_ttfa_seconds_sum: 2, kokoro_synth_replicas_ready: 2 });
  });
});
