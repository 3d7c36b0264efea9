import { describe, expect, test } from "bun:test";
import {
  type Cue,
  cueStartSample,
  fitCue,
  OrderedPcmWriter,
  parseSubtitles,
  PcmTrackSink,
  planTimeline,
  renderTimeline,
  retimeSubtitles,
  streamTimeline,
  type TimelineReport,
} from "../src/subtitles";
import { FakeKokoro, filmToSrt, generateFilm } from "./fixtures/subtitles/film";

const SR = 24_000;
const CAP = 1.35;
const cue = (text: string, start_s = 0, end_s = 1): Cue => ({
  index: 0,
  start_s,
  end_s,
  text,
  line: 1,
  raw: text,
});

/** Runs of non-zero samples in a PCM stream fed chunk by chunk. */
class RunFinder {
  runs: [number, number][] = [];
  pos = 0;
  private open = -1;
  maxChunk = 0;
  push(chunk: Int16Array): void {
    this.maxChunk = Math.max(this.maxChunk, chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const nz = chunk[i] !== 0;
      if (nz && this.open < 0) this.open = this.pos + i;
      else if (!nz && this.open >= 0) {
        this.runs.push([this.open, this.pos + i]);
        this.open = -1;
      }
    }
    this.pos += chunk.length;
  }
  finish(): void {
    if (this.open >= 0) this.runs.push([this.open, this.pos]);
    this.open = -1;
  }
}

/** Expected non-silent runs from cue start samples and speech lengths: touching or overlapping speech merges. */
function expectedRuns(items: { start: number; len: number }[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const { start, len } of items) {
    if (len === 0) continue;
    const last = runs[runs.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], start + len);
    else runs.push([start, start + len]);
  }
  return runs;
}

describe("placement", () => {
  test("cueStartSample is round(start_s * rate), exact for millisecond times at any distance", () => {
    expect(cueStartSample(1.234)).toBe(29_616);
    expect(cueStartSample(0)).toBe(0);
    expect(cueStartSample(3600.001)).toBe(86_400_024);
    expect(cueStartSample(1.5, 48_000)).toBe(72_000);
    for (let ms = 0; ms < 36_000_000; ms += 9_973) expect(cueStartSample(ms / 1000)).toBe(ms * 24);
  });
  test("planTimeline: slots are the cue's own interval, next start is the following cue's start", () => {
    const d = parseSubtitles(
      "1\n00:00:01,000 --> 00:00:02,500\nA.\n\n2\n00:00:02,000 --> 00:00:01,000\nB.\n\n3\n00:00:04,000 --> 00:00:05,000\nC.\n",
    );
    expect(planTimeline(d.cues)).toEqual([
      { index: 0, start_sample: 24_000, end_sample: 60_000, slot_samples: 36_000, next_start_sample: 48_000 },
      { index: 1, start_sample: 48_000, end_sample: 48_000, slot_samples: 0, next_start_sample: 96_000 },
      {
        index: 2,
        start_sample: 96_000,
        end_sample: 120_000,
        slot_samples: 24_000,
        next_start_sample: Number.POSITIVE_INFINITY,
      },
    ]);
  });
});

describe("fitCue", () => {
  const fake = new FakeKokoro();
  const text = "Where were you waiting all night long";
  const len1 = fake.frames(text, 1) * 600;
  test("fits at the requested speed: one synthesis", async () => {
    const f = await fitCue(cue(text), len1, fake.synthesize);
    expect(f).toMatchObject({ speed: 1, attempts: 1 });
    expect(f.pcm.length).toBe(len1);
  });
  test("too long: sped up to fit, under the cap", async () => {
    const slot = Math.round(len1 / 1.2);
    const f = await fitCue(cue(text), slot, fake.synthesize);
    expect(f.speed).toBeGreaterThan(1.19);
    expect(f.speed).toBeLessThan(1.25);
    expect(f.pcm.length).toBeLessThanOrEqual(slot);
    expect(f.pcm.length).toBe(fake.frames(text, f.speed) * 600);
    expect(f.attempts).toBeGreaterThanOrEqual(2);
  });
  test("cannot fit under the cap: synthesised at the cap, not beyond", async () => {
    const calls = new FakeKokoro();
    const f = await fitCue(cue(text), Math.round(len1 / 2), calls.synthesize, { maxSpeed: CAP });
    expect(f.speed).toBe(CAP);
    expect(f.attempts).toBe(2);
    expect(calls.calls.map((c) => c.speed)).toEqual([1, CAP]);
  });
  test("a zero-length cue goes straight to the cap; a request faster than the cap is not sped up", async () => {
    expect((await fitCue(cue(text), 0, fake.synthesize)).speed).toBe(CAP);
    const f = await fitCue(cue(text), 10, fake.synthesize, { speed: 1.6 });
    expect(f).toMatchObject({ speed: 1.6, attempts: 1 });
  });
  test("a synthesiser whose length ignores speed: at most four tries, the last at the cap, shortest kept", async () => {
    const speeds: number[] = [];
    const stubborn = async (_c: Cue, speed: number) => {
      speeds.push(speed);
      return new Int16Array(speed === 1 ? 50_000 : 48_000);
    };
    const f = await fitCue(cue(text), 45_000, stubborn, { maxSpeed: CAP });
    expect(speeds.length).toBe(4);
    expect(speeds[3]).toBe(CAP);
    expect(Math.max(...speeds)).toBeLessThanOrEqual(CAP);
    expect(f.pcm.length).toBe(48_000);
  });
});

describe("1,500-cue film through the streaming renderer", () => {
  const film = generateFilm({ cues: 1500, seed: 3 });
  const doc = parseSubtitles(new TextEncoder().encode(filmToSrt(film)), { filename: "film.srt" });
  test("every cue starts at exactly round(start * 24000); fitting, cap, overflow and overlap exact", async () => {
    expect(doc.cues.length).toBe(1500);
    const fake = new FakeKokoro();
    const runs = new RunFinder();
    const t0 = performance.now();
    const gen = streamTimeline({
      cues: doc.cues,
      synthesize: fake.synthesize,
      maxSpeed: CAP,
      concurrency: 4,
    });
    let report: TimelineReport | undefined;
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        report = r.value;
        break;
      }
      runs.push(r.value);
    }
    runs.finish();
    const ms = performance.now() - t0;
    expect(report.cues.length).toBe(1500);

    // Independent expectations: cue times from the generated film, lengths from the model double.
    const attempts = [0, 0, 0, 0];
    const overspeed: number[] = [];
    const items = film.map((c, i) => {
      const r = report!.cues[i]!;
      const len = fake.frames(c.text, r.speed) * 600;
      return { start: c.startMs * 24, end: c.endMs * 24, len, r, c };
    });
    for (const { start, end, len, r, c } of items) {
      expect(r.start_sample).toBe(start);
      expect(r.speech_samples).toBe(len);
      expect(r.speed).toBeGreaterThanOrEqual(1);
      expect(r.speed).toBeLessThanOrEqual(CAP);
      expect(r.overflow_samples).toBe(Math.max(0, start + len - end));
      expect(r.overflow_s).toBe(r.overflow_samples / SR);
      expect(r.speech_s).toBe(len / SR);
      const len1 = fake.frames(c.text, 1) * 600;
      if (len1 <= end - start)
        expect(r.speed).toBe(1); // fits: not sped up
      else if (r.overflow_samples > 0) {
        // Overflow only when it does not fit even at the cap; then the shortest take is used.
        expect(fake.frames(c.text, CAP) * 600).toBeGreaterThan(end - start);
        expect(len).toBeLessThanOrEqual(fake.frames(c.text, CAP) * 600);
        expect(fake.calls.some((k) => k.text === c.text && k.speed === CAP)).toBe(true);
      } else {
        // Fitted below the cap: how much faster than the slowest speed (on a 0.001 grid) that fits?
        let min = 1;
        while (fake.frames(c.text, min) * 600 > end - start) min = Math.round(min * 1000 + 1) / 1000;
        expect(r.speed).toBeGreaterThanOrEqual(min);
        overspeed.push(r.speed - min);
      }
      attempts[r.attempts - 1]!++;
    }
    for (let i = 0; i + 1 < items.length; i++) {
      expect(items[i]!.r.overlaps_next).toBe(items[i]!.start + items[i]!.len > items[i + 1]!.start);
    }
    for (const call of fake.calls) expect(call.speed).toBeLessThanOrEqual(CAP);

    // Speech never starts before its cue and every cue is exactly where its time says:
    // the non-silent runs of the output are exactly the cues' [start, start + length).
    expect(runs.runs).toEqual(expectedRuns(items));
    expect(runs.pos).toBe(report.total_samples);
    expect(report.total_samples).toBe(Math.max(...items.map((x) => Math.max(x.end, x.start + x.len))));

    // Speed-ups are close to the least that fits (the model double's lengths are step functions of speed).
    const meanOverspeed = overspeed.reduce((a, b) => a + b, 0) / overspeed.length;
    expect(meanOverspeed).toBeLessThan(0.04);

    // The film exercises every branch, and the stream's memory stays bounded.
    const spedUp = report.cues.filter((r) => r.speed > 1 && r.overflow_samples === 0).length;
    expect(spedUp).toBeGreaterThan(100);
    expect(report.overflowed).toBeGreaterThan(20);
    expect(report.overlapping).toBeGreaterThan(5);
    expect(runs.maxChunk).toBeLessThanOrEqual(Math.max(24_000, ...items.map((x) => x.len)) * 2);
    console.log(
      `1,500 cues, ${(report.total_samples / SR / 60).toFixed(1)} min of audio: ${ms.toFixed(0)} ms; ` +
        `${report.sped_up} sped up, ${report.overflowed} overflow, ${report.overlapping} overlap the next; ` +
        `mean speed above the least that fits ${meanOverspeed.toFixed(4)}; ${fake.calls.length} syntheses (cues by attempts 1-4: ${attempts.join("/")}); last cue at sample ${items[1499]!.r.start_sample}`,
    );
  });
});

describe("renderer", () => {
  const film = generateFilm({ cues: 150, seed: 5 });
  const doc = parseSubtitles(filmToSrt(film, "\n"));
  const renderInMemory = async (concurrency: number) => {
    const fake = new FakeKokoro();
    const sink = new PcmTrackSink();
    const report = await renderTimeline({ cues: doc.cues, synthesize: fake.synthesize, sink, concurrency });
    return { pcm: sink.pcm(), report, fake };
  };

  test("each cue's samples are its synthesis, overlaps mixed, silence elsewhere", async () => {
    const { pcm, report, fake } = await renderInMemory(1);
    const expected = new Int16Array(report.total_samples);
    for (const r of report.cues) {
      const a = fake.pcm(doc.cues[r.index]!.text, r.speed);
      for (let i = 0; i < a.length; i++) expected[r.start_sample + i] = expected[r.start_sample + i]! + a[i]!;
    }
    expect(pcm.length).toBe(expected.length);
    expect(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).equals(Buffer.from(expected.buffer))).toBe(
      true,
    );
  });

  test("streamed output equals the in-memory track, at any concurrency", async () => {
    const ref = (await renderInMemory(1)).pcm;
    for (const concurrency of [1, 3, 8]) {
      const fake = new FakeKokoro();
      const parts: Int16Array[] = [];
      const gen = streamTimeline({ cues: doc.cues, synthesize: fake.synthesize, concurrency });
      for await (const chunk of gen) parts.push(chunk);
      const out = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
      expect(out.equals(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength))).toBe(true);
    }
  });

  test("resume from a progress point gives the same audio as an uninterrupted run", async () => {
    const ref = (await renderInMemory(2)).pcm;
    // First run: killed after 90 cues; the stored audio is what the writer emitted.
    const stored: Int16Array[] = [];
    let resume: { index: number; startSample: number } | undefined;
    const ctrl = new AbortController();
    const writer = new OrderedPcmWriter((c) => void stored.push(c));
    const first = renderTimeline({
      cues: doc.cues,
      synthesize: new FakeKokoro().synthesize,
      sink: writer,
      signal: ctrl.signal,
      onProgress: (p) => {
        resume = p.resume;
        if (p.done === 90) ctrl.abort(new Error("killed"));
      },
    });
    await expect(first).rejects.toThrow("killed");
    expect(resume!.index).toBeGreaterThan(80);
    let prefix = Buffer.concat(stored.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
    expect(prefix.length / 2).toBeGreaterThanOrEqual(resume!.startSample);
    prefix = prefix.subarray(0, resume!.startSample * 2); // cut to the resume point
    const rest: Int16Array[] = [];
    const report = await renderTimeline({
      cues: doc.cues,
      synthesize: new FakeKokoro().synthesize,
      sink: new OrderedPcmWriter((c) => void rest.push(c), { startSample: resume!.startSample }),
      resume: resume!,
    });
    expect(report.cues[0]!.index).toBe(resume!.index);
    const whole = Buffer.concat([
      prefix,
      ...rest.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
    ]);
    expect(whole.equals(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength))).toBe(true);
  });

  test("resume from every possible kill point, overlapping speech included, gives the same audio", async () => {
    // A dense film: many cues run into the next, so many progress points are not clean.
    const dense = parseSubtitles(
      filmToSrt(
        generateFilm({ cues: 40, seed: 9 }).map((c, i) => ({
          ...c,
          startMs: 1000 + i * 900,
          endMs: 1000 + i * 900 + 700,
        })),
      ),
    );
    const fake = new FakeKokoro();
    const refSink = new PcmTrackSink();
    const refReport = await renderTimeline({ cues: dense.cues, synthesize: fake.synthesize, sink: refSink });
    expect(refReport.overlapping).toBeGreaterThan(20);
    const ref = Buffer.from(refSink.pcm().buffer, 0, refSink.pcm().byteLength);
    let unclean = 0;
    for (let kill = 1; kill < dense.cues.length; kill++) {
      const stored: Int16Array[] = [];
      let resume: { index: number; startSample: number } | undefined;
      const ctrl = new AbortController();
      await renderTimeline({
        cues: dense.cues,
        synthesize: fake.synthesize,
        sink: new OrderedPcmWriter((c) => void stored.push(c)),
        signal: ctrl.signal,
        concurrency: 3,
        onProgress: (p) => {
          resume = p.resume;
          if (p.done === kill) ctrl.abort(new Error("killed"));
        },
      }).catch(() => {});
      if (resume!.index < kill - 1) unclean++;
      const prefix = Buffer.concat(
        stored.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
      ).subarray(0, resume!.startSample * 2);
      expect(prefix.length).toBe(resume!.startSample * 2);
      const rest: Int16Array[] = [];
      await renderTimeline({
        cues: dense.cues,
        synthesize: fake.synthesize,
        sink: new OrderedPcmWriter((c) => void rest.push(c), { startSample: resume!.startSample }),
        resume: resume!,
      });
      const whole = Buffer.concat([
        prefix,
        ...rest.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
      ]);
      expect(whole.equals(ref)).toBe(true);
    }
    expect(unclean).toBeGreaterThan(5);
  });

  test("overlaps_next: speech ending exactly at the next cue's start does not overlap; one sample more does", async () => {
    const d = parseSubtitles(
      "00:00:01,000 --> 00:00:01,500\nA.\n\n00:00:02,000 --> 00:00:03,000\nB.\n\n00:00:04,000 --> 00:00:05,000\nC.\n",
    );
    const lengths: Record<string, number> = { "A.": 24_000, "B.": 48_001, "C.": 100 };
    const sink = new PcmTrackSink();
    const report = await renderTimeline({
      cues: d.cues,
      synthesize: async (c) => new Int16Array(lengths[c.text]!).fill(1),
      sink,
      maxSpeed: 1,
    });
    expect(report.cues.map((r) => [r.overlaps_next, r.overflow_samples])).toEqual([
      [false, 12_000],
      [true, 24_001],
      [false, 0],
    ]);
    expect(report.total_samples).toBe(120_000);
    expect(sink.pcm()[96_000]).toBe(2); // B's last sample mixed with C's first
  });

  test("streaming: a cue's audio up to the next cue's start is sent as soon as the cue is made", async () => {
    const fake = new FakeKokoro();
    const plan = planTimeline(doc.cues);
    let emitted = 0;
    const writer = new OrderedPcmWriter((c) => void (emitted += c.length));
    const seenAtWrite: number[] = [];
    const calls: string[] = [];
    await renderTimeline({
      cues: doc.cues,
      synthesize: fake.synthesize,
      concurrency: 1,
      sink: {
        write: async (offset, pcm) => {
          seenAtWrite.push(emitted);
          calls.push(`w${offset}`);
          await writer.write(offset, pcm);
        },
        settle: async (sample) => {
          calls.push(`s${sample}`);
          await writer.settle(sample);
          expect(emitted).toBe(sample);
        },
        end: (n) => writer.end(n),
      },
    });
    // Before cue k+1 is written, everything up to its start has been sent.
    expect(seenAtWrite.slice(1)).toEqual(plan.slice(1).map((p) => p.start_sample));
    expect(calls.slice(0, 4)).toEqual([
      `w${plan[0]!.start_sample}`,
      `s${plan[1]!.start_sample}`,
      `w${plan[1]!.start_sample}`,
      `s${plan[2]!.start_sample}`,
    ]);
    expect(calls.filter((c) => c[0] === "s").length).toBe(doc.cues.length - 1);
  });

  test("stopping the stream early aborts the render; a synthesis error ends it with that error", async () => {
    const fake = new FakeKokoro();
    let n = 0;
    for await (const _ of streamTimeline({ cues: doc.cues, synthesize: fake.synthesize, concurrency: 2 }))
      if (++n === 5) break;
    const callsAtStop = fake.calls.length;
    await Bun.sleep(20);
    expect(fake.calls.length).toBe(callsAtStop);
    expect(callsAtStop).toBeLessThan(30);

    const failing = async (c: Cue, s: number) => {
      if (c.index === 40) throw new Error("synth worker lost");
      return fake.synthesize(c, s);
    };
    const drain = async () => {
      for await (const _ of streamTimeline({ cues: doc.cues, synthesize: failing, concurrency: 3 })) {
      }
    };
    await expect(drain()).rejects.toThrow("synth worker lost");
  });

  test("unsorted cues or a resume index out of range are refused before any synthesis", async () => {
    const fake = new FakeKokoro();
    const reversed = [...doc.cues].reverse();
    await expect(
      renderTimeline({ cues: reversed, synthesize: fake.synthesize, sink: new PcmTrackSink() }),
    ).rejects.toThrow("sorted by start");
    await expect(
      renderTimeline({
        cues: doc.cues,
        synthesize: fake.synthesize,
        sink: new PcmTrackSink(),
        resume: { index: 999, startSample: 0 },
      }),
    ).rejects.toThrow("out of range");
    expect(fake.calls.length).toBe(0);
  });

  test("plain text: cues laid end to end with a pause, speed as requested", async () => {
    const d = parseSubtitles("First paragraph here.\n\nSecond one.\n\nThird.\n");
    const fake = new FakeKokoro();
    const sink = new PcmTrackSink();
    const report = await renderTimeline({
      cues: d.cues,
      timed: d.timed,
      synthesize: fake.synthesize,
      sink,
      gap_s: 0.5,
    });
    const lens = d.cues.map((c) => fake.frames(c.text, 1) * 600);
    expect(report.cues.map((r) => r.start_sample)).toEqual([
      0,
      lens[0]! + 12_000,
      lens[0]! + lens[1]! + 24_000,
    ]);
    expect(report.cues.every((r) => r.speed === 1 && r.overflow_samples === 0 && !r.overlaps_next)).toBe(
      true,
    );
    expect(report.total_samples).toBe(lens[0]! + lens[1]! + lens[2]! + 24_000);
    expect(sink.pcm().length).toBe(report.total_samples);
  });
});

describe("re-timed subtitles from a render", () => {
  test("SRT and VTT cues start at the cue and end where the speech ends", async () => {
    for (const f of ["episode.ass", "voices-settings.vtt", "bom-crlf-tags.srt"]) {
      const bytes = await Bun.file(`${import.meta.dir}/fixtures/subtitles/${f}`).bytes();
      const d = parseSubtitles(bytes, { filename: f });
      const fake = new FakeKokoro();
      const report = await renderTimeline({
        cues: d.cues,
        synthesize: fake.synthesize,
        sink: new PcmTrackSink(),
      });
      for (const target of ["srt", "vtt"] as const) {
        const out = retimeSubtitles(
          { cues: d.cues, sourceFormat: d.format, report: report.cues, sampleRate: SR },
          target,
        );
        const back = parseSubtitles(out);
        expect(back.format).toBe(target);
        expect(back.cues.map((c) => [c.start_s, c.end_s, c.text])).toEqual(
          report.cues.map((r) => [
            r.start_sample / SR,
            Math.round(((r.start_sample + r.speech_samples) / SR) * 1000) / 1000,
            d.cues[r.index]!.text,
          ]),
        );
        if (d.format === "ass" && target === "vtt") expect(back.cues[0]!.speaker).toBe("Mara");
        if (d.format === "ass") expect(out).toContain("Where were you?\nI waited, all night.");
      }
    }
  });
});
