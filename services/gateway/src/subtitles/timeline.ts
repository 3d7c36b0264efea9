/**
 * Cue placement on a sample-exact timeline, and the fitting rule.
 *
 * Placement: cue i's speech starts at exactly `round(start_s * sampleRate)`,
 * computed from the cue's own time, never from the lengths of the audio
 * before it, so nothing accumulates and cue 1,000 is where its time says.
 *
 * Fitting (decided here): a cue's slot is its own display interval, from its
 * start to its end. If the speech at the requested speed is longer than the
 * slot, it is synthesised again at the speed the measured length asks for
 * (duration scales about 1/speed), clamped to the cap, once more with a
 * margin if the model's frame rounding left it slightly over, and at last at
 * the cap itself (see fitCue). If it does not fit at the cap it
 * runs on into the gap after the cue's end (reported as overflow_s); nothing
 * else moves. If it runs past the next cue's start it is reported as
 * overlaps_next and the two are mixed where they overlap. The speed never
 * exceeds max(cap, requested speed): a request already faster than the cap is
 * never sped up further.
 *
 * Untimed documents (plain text) are laid end to end with a pause between
 * cues, at offsets that are sums of integer sample counts (exact as well).
 */
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import type { Cue } from "./types";

export const DEFAULT_MAX_SPEED = 1.35;

export function cueStartSample(start_s: number, sampleRate = SAMPLE_RATE): number {
  return Math.round(start_s * sampleRate);
}

/**
 * Thrown by a Synthesize for a cue that has nothing to speak (only an emoji,
 * only symbols): the cue is reported as skipped and its slot stays silent,
 * instead of one cue ending the whole render (issue 20, finding 7).
 */
export class SkipCue extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "SkipCue";
  }
}

/**
 * The track would run past the longest one allowed (untimed documents, whose
 * length is known only as they are spoken; timed ones are checked up front).
 */
export class TrackTooLong extends Error {
  constructor(
    readonly maxSamples: number,
    readonly sampleRate: number,
  ) {
    super(
      `the audio track would be longer than ${maxSamples / sampleRate} s, the longest this gateway renders`,
    );
    this.name = "TrackTooLong";
  }
}

/** Synthesises one cue's text at a speed; the caller (gateway) calls the synth workers. */
export type Synthesize = (cue: Cue, speed: number, signal: AbortSignal) => Promise<Int16Array>;

/** The same, as the audio is made (in order); a SkipCue may be thrown before any audio. */
export type SynthesizeStream = (cue: Cue, speed: number, signal: AbortSignal) => AsyncIterable<Int16Array>;

export interface TimelineSink {
  /**
   * Place `pcm` at absolute sample `offsetSamples`. Offsets arrive in
   * non-decreasing order. A write may start before the previous one ended
   * (overlapping cues): the sink mixes the overlap. Gaps are silence.
   */
  write(offsetSamples: number, pcm: Int16Array): void | Promise<void>;
  /**
   * Optional: no later write will start before `sample`, so output before it
   * is final (a streaming sink can send it now). Called after each write with
   * the next cue's start.
   */
  settle?(sample: number): void | Promise<void>;
  /** Called once at the end with the track's total length in samples. */
  end(totalSamples: number): void | Promise<void>;
}

export interface FitOptions {
  /** Requested speed (Kokoro's `speed`), default 1. */
  speed?: number;
  /** Fitting cap, default 1.35. */
  maxSpeed?: number;
  signal?: AbortSignal;
}

export interface CueFit {
  pcm: Int16Array;
  /** Why the cue was not spoken (a SkipCue's reason); its pcm is empty. */
  skipped?: string;
  speed: number;
  /** Syntheses run for this cue (1 to 4). */
  attempts: number;
}

/** Speeds are kept to 3 decimals (rounded up) so a re-run asks for exactly the same speeds. */
const up3 = (x: number) => Math.ceil(x * 1000 - 1e-9) / 1000;

/**
 * Synthesise a cue so it fits `slotSamples` if the cap allows (slot = Infinity: no fitting).
 * First pass at the requested speed. If too long, again at the speed the
 * measured length asks for (length scales about 1/speed), clamped to the cap;
 * if the model's per-token frame rounding leaves it still over, once more with
 * a 2% margin; and if even that is over, at the cap itself. So a cue
 * overflows only when it does not fit at the cap. At most 4 syntheses.
 * Returns the slowest attempt that fits, else the shortest.
 */
export async function fitCue(
  cue: Cue,
  slotSamples: number,
  synthesize: Synthesize,
  opts: FitOptions = {},
): Promise<CueFit> {
  const requested = opts.speed ?? 1;
  const cap = Math.max(opts.maxSpeed ?? DEFAULT_MAX_SPEED, requested);
  const signal = opts.signal ?? new AbortController().signal;
  const tries: { pcm: Int16Array; speed: number }[] = [];
  let speed = requested;
  let pcm: Int16Array;
  try {
    pcm = await synthesize(cue, speed, signal);
  } catch (err) {
    if (err instanceof SkipCue) return { pcm: new Int16Array(0), speed, attempts: 1, skipped: err.reason };
    throw err;
  }
  tries.push({ pcm, speed });
  const margins = [1, 1.02];
  for (let k = 0; k < 3 && pcm.length > slotSamples && speed < cap; k++) {
    const needed = slotSamples > 0 ? (speed * pcm.length) / slotSamples : Number.POSITIVE_INFINITY;
    const next = k < margins.length ? Math.min(cap, up3(needed * margins[k]!)) : cap;
    if (!(next > speed)) break;
    speed = next;
    pcm = await synthesize(cue, speed, signal);
    tries.push({ pcm, speed });
  }
  const fitting = tries.filter((t) => t.pcm.length <= slotSamples).sort((a, b) => a.speed - b.speed)[0];
  const chosen = fitting ?? [...tries].sort((a, b) => a.pcm.length - b.pcm.length || a.speed - b.speed)[0]!;
  return { pcm: chosen.pcm, speed: chosen.speed, attempts: tries.length };
}

export interface CuePlacement {
  index: number;
  start_sample: number;
  end_sample: number;
  /** Samples the speech may take without overflowing (end - start); Infinity when untimed. */
  slot_samples: number;
  /** Start of the next cue in order, or Infinity for the last one. */
  next_start_sample: number;
}

/** Placement of timed cues (already sorted by start, as parseSubtitles returns them). */
export function planTimeline(cues: readonly Cue[], sampleRate = SAMPLE_RATE): CuePlacement[] {
  return cues.map((c, k) => {
    const start = cueStartSample(c.start_s, sampleRate);
    const end = Math.max(start, cueStartSample(c.end_s, sampleRate));
    const next =
      k + 1 < cues.length ? cueStartSample(cues[k + 1]!.start_s, sampleRate) : Number.POSITIVE_INFINITY;
    return {
      index: c.index,
      start_sample: start,
      end_sample: end,
      slot_samples: end - start,
      next_start_sample: next,
    };
  });
}

export interface CueReport {
  index: number;
  id?: string;
  /** Where the speech starts (the cue's start; for untimed cues, where it was laid). */
  start_s: number;
  /** The cue's end (for untimed cues, the end of its speech). */
  end_s: number;
  speech_s: number;
  speed: number;
  /** Speech past the cue's end, in seconds (exactly overflow_samples / sample rate). */
  overflow_s: number;
  overlaps_next: boolean;
  start_sample: number;
  speech_samples: number;
  overflow_samples: number;
  attempts: number;
  /** Present when the cue was not spoken (for example "no_speakable_text"): its slot is silent. */
  skipped?: string;
}

export interface TimelineReport {
  sample_rate: number;
  total_samples: number;
  max_speed: number;
  cues: CueReport[];
  /** Cues re-synthesised faster to fit, cues that still overflow, cues that run into the next. */
  sped_up: number;
  overflowed: number;
  overlapping: number;
  /** Cues not spoken (see CueReport.skipped). */
  skipped: number;
}

export interface RenderProgress {
  /** The report of the cue just written. */
  cue: CueReport;
  done: number;
  total: number;
  /**
   * A safe point to resume from after a crash: output before `resume.startSample`
   * is final and no earlier cue's speech reaches past it; render again with
   * `resume` set to it (and the stored audio cut to that many samples).
   */
  resume: { index: number; startSample: number };
}

export interface RenderOptions extends FitOptions {
  cues: readonly Cue[];
  synthesize: Synthesize;
  sink: TimelineSink;
  /** False for plain text: cues are laid end to end. Default true. */
  timed?: boolean;
  sampleRate?: number;
  /** Cues synthesised ahead, in parallel (output is still written in order). Default 2. */
  concurrency?: number;
  /** Pause between untimed cues, in seconds. Default 0.4. */
  gap_s?: number;
  /** Start at this cue (from a RenderProgress.resume). Reports cover only the cues rendered. */
  resume?: { index: number; startSample: number };
  onProgress?: (p: RenderProgress) => void | Promise<void>;
  /** Longest track allowed, in samples: a render that would run past it throws TrackTooLong. */
  maxTotalSamples?: number;
  /**
   * Untimed documents: speak each cue through this instead, writing its audio
   * to the sink as it is made, so a long cue is never held whole (no fitting
   * is needed without a slot). Cues are then made one after another.
   */
  synthesizeStream?: SynthesizeStream;
}

/**
 * Render cues onto `sink` at exact offsets. Returns the per-cue report.
 * Memory: `concurrency` cues of audio plus what the sink holds.
 */
export async function renderTimeline(o: RenderOptions): Promise<TimelineReport> {
  if (o.synthesizeStream && o.timed === false) return renderStreamedUntimed(o, o.synthesizeStream);
  const sr = o.sampleRate ?? SAMPLE_RATE;
  const timed = o.timed ?? true;
  const requested = o.speed ?? 1;
  const cap = Math.max(o.maxSpeed ?? DEFAULT_MAX_SPEED, requested);
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? 2));
  const gap = Math.round((o.gap_s ?? 0.4) * sr);
  const plan = timed ? planTimeline(o.cues, sr) : undefined;
  if (plan?.some((p, k) => k > 0 && p.start_sample < plan[k - 1]!.start_sample)) {
    throw new Error("renderTimeline: cues must be sorted by start time (as parseSubtitles returns them)");
  }
  const from = o.resume?.index ?? 0;
  if (!Number.isInteger(from) || from < 0 || from > o.cues.length)
    throw new Error(`renderTimeline: resume index ${from} out of range`);
  const ctrl = new AbortController();
  const onOuterAbort = () => ctrl.abort(o.signal?.reason);
  if (o.signal?.aborted) ctrl.abort(o.signal.reason);
  o.signal?.addEventListener("abort", onOuterAbort, { once: true });

  const inflight = new Map<number, Promise<CueFit>>();
  const launch = (k: number) => {
    if (k >= o.cues.length || inflight.has(k)) return;
    const slot = plan ? plan[k]!.slot_samples : Number.POSITIVE_INFINITY;
    const p = fitCue(o.cues[k]!, slot, o.synthesize, {
      speed: requested,
      maxSpeed: cap,
      signal: ctrl.signal,
    });
    p.catch(() => {}); // Awaited in order below; avoid an unhandled rejection meanwhile.
    inflight.set(k, p);
  };

  const reports: CueReport[] = [];
  let cursor = timed ? 0 : (o.resume?.startSample ?? 0); // untimed: where the next cue goes
  // Every cue's end counts, also those before a resume point (their speech ended before it).
  let total = plan ? plan.reduce((m, p) => Math.max(m, p.end_sample), 0) : 0;
  let maxSpeechEnd = 0; // over the cues written so far (from `from`)
  let clean = { index: from, startSample: plan ? (plan[from]?.start_sample ?? 0) : cursor };
  try {
    for (let k = from; k < Math.min(o.cues.length, from + concurrency); k++) launch(k);
    for (let k = from; k < o.cues.length; k++) {
      if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error("aborted");
      const fit = await inflight.get(k)!;
      inflight.delete(k);
      launch(k + concurrency);
      const cue = o.cues[k]!;
      const start = plan ? plan[k]!.start_sample : cursor;
      // A clean resume point: nothing written before reaches past this cue's start.
      if (k > from && maxSpeechEnd <= start) clean = { index: k, startSample: start };
      const len = fit.pcm.length;
      const end = plan ? plan[k]!.end_sample : start + len;
      const next = plan
        ? plan[k]!.next_start_sample
        : start + len + (cue.gap_after_s !== undefined ? Math.round(cue.gap_after_s * sr) : gap);
      if (
        o.maxTotalSamples !== undefined &&
        Math.max(start + len, plan ? plan[k]!.end_sample : 0) > o.maxTotalSamples
      )
        throw new TrackTooLong(o.maxTotalSamples, sr);
      const overflow = Math.max(0, start + len - end);
      await o.sink.write(start, fit.pcm);
      if (Number.isFinite(next)) await o.sink.settle?.(next);
      const r: CueReport = {
        index: cue.index,
        ...(cue.id !== undefined ? { id: cue.id } : {}),
        start_s: plan ? cue.start_s : start / sr,
        end_s: plan ? cue.end_s : end / sr,
        speech_s: len / sr,
        speed: fit.speed,
        overflow_s: overflow / sr,
        overlaps_next: start + len > next,
        start_sample: start,
        speech_samples: len,
        overflow_samples: overflow,
        attempts: fit.attempts,
        ...(fit.skipped !== undefined ? { skipped: fit.skipped } : {}),
      };
      reports.push(r);
      maxSpeechEnd = Math.max(maxSpeechEnd, start + len);
      total = Math.max(total, end, start + len);
      if (!plan) cursor = next;
      await o.onProgress?.({ cue: r, done: k + 1, total: o.cues.length, resume: clean });
    }
    await o.sink.end(total);
  } catch (err) {
    ctrl.abort(err);
    throw err;
  } finally {
    o.signal?.removeEventListener("abort", onOuterAbort);
  }
  return {
    sample_rate: sr,
    total_samples: total,
    max_speed: cap,
    cues: reports,
    sped_up: reports.filter((r) => r.speed > requested).length,
    overflowed: reports.filter((r) => r.overflow_samples > 0).length,
    overlapping: reports.filter((r) => r.overlaps_next).length,
    skipped: reports.filter((r) => r.skipped !== undefined).length,
  };
}

/**
 * Untimed cues spoken one after another, each written to the sink as its
 * audio arrives (settled at once: nothing later starts before it). Memory is
 * one synth message whatever the cue's length; the samples are the same as
 * renderTimeline's without streaming.
 */
async function renderStreamedUntimed(o: RenderOptions, stream: SynthesizeStream): Promise<TimelineReport> {
  const sr = o.sampleRate ?? SAMPLE_RATE;
  const requested = o.speed ?? 1;
  const cap = Math.max(o.maxSpeed ?? DEFAULT_MAX_SPEED, requested);
  const gap = Math.round((o.gap_s ?? 0.4) * sr);
  const from = o.resume?.index ?? 0;
  if (!Number.isInteger(from) || from < 0 || from > o.cues.length)
    throw new Error(`renderTimeline: resume index ${from} out of range`);
  const signal = o.signal ?? new AbortController().signal;
  const reports: CueReport[] = [];
  let cursor = o.resume?.startSample ?? 0;
  for (let k = from; k < o.cues.length; k++) {
    if (signal.aborted) throw signal.reason ?? new Error("aborted");
    const cue = o.cues[k]!;
    const start = cursor;
    let len = 0;
    let skipped: string | undefined;
    try {
      for await (const pcm of stream(cue, requested, signal)) {
        if (o.maxTotalSamples !== undefined && start + len + pcm.length > o.maxTotalSamples)
          throw new TrackTooLong(o.maxTotalSamples, sr);
        await o.sink.write(start + len, pcm);
        len += pcm.length;
        await o.sink.settle?.(start + len);
      }
    } catch (err) {
      if (!(err instanceof SkipCue) || len > 0) throw err;
      skipped = err.reason;
    }
    const next = start + len + (cue.gap_after_s !== undefined ? Math.round(cue.gap_after_s * sr) : gap);
    const r: CueReport = {
      index: cue.index,
      ...(cue.id !== undefined ? { id: cue.id } : {}),
      start_s: start / sr,
      end_s: (start + len) / sr,
      speech_s: len / sr,
      speed: requested,
      overflow_s: 0,
      overlaps_next: false,
      start_sample: start,
      speech_samples: len,
      overflow_samples: 0,
      attempts: 1,
      ...(skipped !== undefined ? { skipped } : {}),
    };
    reports.push(r);
    cursor = next;
    await o.onProgress?.({
      cue: r,
      done: k + 1,
      total: o.cues.length,
      resume: { index: k + 1, startSample: next },
    });
  }
  // As renderTimeline: the track ends where the last cue's speech ends.
  const last = reports[reports.length - 1];
  const total = last ? last.start_sample + last.speech_samples : cursor;
  await o.sink.end(total);
  return {
    sample_rate: sr,
    total_samples: total,
    max_speed: cap,
    cues: reports,
    sped_up: 0,
    overflowed: 0,
    overlapping: 0,
    skipped: reports.filter((r) => r.skipped !== undefined).length,
  };
}
