// Prints how much compute the fixture costs per second of audio for several `work` values, with one
// onnxruntime thread and with the default thread count, then calibrates `work` for a target RTF.
//
//   bun packages/fixture-model/bench/work.ts [--values 0,10,25,50,100] [--target 0.17] [--seconds 5] [--runs 5]
//
// Both the median and the fastest run are shown: on a busy machine the fastest is the better
// estimate of what an idle machine does; calibration uses the median.
//
// RTF = compute time / audio time; Kokoro-82M on a 2-core CPU is ~0.15-0.2.

import { calibrateWork, measureRtfStats } from "../src/index.ts";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const values = arg("--values", "0,1,10,25,50,75,100").split(",").map(Number);
const target = Number(arg("--target", "0.17"));
const seconds = Number(arg("--seconds", "5"));
const runs = Number(arg("--runs", "5"));

for (const [label, intraOpNumThreads] of [
  ["intraOpNumThreads=1", 1],
  ["default threads", undefined],
] as const) {
  console.log(`\n${label} (${seconds} s of audio per run, ${runs} runs)`);
  console.log("  work   median ms per audio s   RTF (median)   RTF (fastest run)");
  for (const work of values) {
    const { median, min } = await measureRtfStats(work, { intraOpNumThreads, seconds, runs });
    console.log(
      `  ${String(work).padStart(4)}   ${(median * 1000).toFixed(1).padStart(21)}   ${median.toFixed(3).padStart(12)}   ${min.toFixed(3).padStart(17)}`,
    );
  }
  const c = await calibrateWork(target, { intraOpNumThreads, seconds, runs });
  console.log(
    `  calibrateWork(${target}): work=${c.work} -> RTF ${c.rtf.toFixed(3)} (base ${c.baseRtf.toFixed(4)}, +${(c.rtfPerWork * 1000).toFixed(2)} ms/audio-s per work unit)`,
  );
}
