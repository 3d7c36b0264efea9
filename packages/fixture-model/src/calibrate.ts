// Measures the fixture's real-time factor (compute seconds per audio second) and picks the `work`
// value that makes it cost a target RTF on this machine. onnxruntime-node is imported lazily so
// that decode-only users of this package never load the native addon.

import { generateFixtureModel } from "./generate.ts";
import { expectedSamples, SAMPLE_RATE } from "./contract.ts";

export interface RtfOptions {
  /** onnxruntime intra-op threads (default: onnxruntime's default, i.e. all cores). */
  intraOpNumThreads?: number;
  /** Audio length per run, in seconds (default 5). */
  seconds?: number;
  /** Timed runs after one warm-up run (default 5). */
  runs?: number;
}

/** Real-time factor of the fixture with `work` dead layers: median run time / audio duration. */
export async function measureRtf(work: number, opts: RtfOptions = {}): Promise<number> {
  return (await measureRtfStats(work, opts)).median;
}

/** Median and fastest-run RTF (on a busy machine the fastest run is closer to an idle one). */
export async function measureRtfStats(
  work: number,
  opts: RtfOptions = {},
): Promise<{ median: number; min: number }> {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(generateFixtureModel({ work, durations: false }), {
    ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
  });
  try {
    // Tokens 1,2,3,... average 4 frames (100 ms) at speed 1: ~10 tokens per second of audio.
    const count = Math.min(510, Math.max(1, Math.round((opts.seconds ?? 5) * 10)));
    const ids = [0, ...Array.from({ length: count }, (_, i) => 1 + (i % 177)), 0];
    const feeds = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      style: new ort.Tensor("float32", new Float32Array(256), [1, 256]),
      speed: new ort.Tensor("float32", Float32Array.from([1]), [1]),
    };
    const audioSeconds = expectedSamples(ids, 1) / SAMPLE_RATE;
    await session.run(feeds); // warm-up
    const times: number[] = [];
    for (let i = 0; i < (opts.runs ?? 5); i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[times.length >> 1]! / 1000 / audioSeconds, min: times[0]! / 1000 / audioSeconds };
  } finally {
    await session.release();
  }
}

export interface CalibrationResult {
  work: number;
  /** Measured RTF at `work`. */
  rtf: number;
  /** RTF with work = 0 (fixed cost of the audio synthesis itself). */
  baseRtf: number;
  /** RTF added per unit of work. */
  rtfPerWork: number;
}

/**
 * Picks `work` so that the fixture runs at `targetRtf` (e.g. 0.17 ~ Kokoro-82M on a 2-core CPU).
 * RTF is about linear in work: a probe gives the slope, then up to three secant steps refine it.
 * Takes a few seconds; results depend on the machine and on its load while measuring.
 */
export async function calibrateWork(targetRtf: number, opts: RtfOptions = {}): Promise<CalibrationResult> {
  const baseRtf = await measureRtf(0, opts);
  let work = 16;
  let rtf = await measureRtf(work, opts);
  let rtfPerWork = Math.max(1e-9, (rtf - baseRtf) / work);
  for (let step = 0; step < 3; step++) {
    const next = Math.max(0, Math.round((targetRtf - baseRtf) / rtfPerWork));
    if (next === work) break;
    work = next;
    rtf = await measureRtf(work, opts);
    if (work > 0) rtfPerWork = Math.max(1e-9, (rtf - baseRtf) / work);
  }
  return { work, rtf, baseRtf, rtfPerWork };
}
