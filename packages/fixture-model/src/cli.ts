// Usage: bun packages/fixture-model/src/cli.ts --out PATH [--naming kokoro-onnx] [--no-durations] [--work N]
//        [--max-tokens N] [--waveform-rank 1|2] [--weights-mb N]

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { writeFixtureModel, type FixtureOptions } from "./generate.ts";

function usage(msg?: string): never {
  if (msg) console.error(`error: ${msg}`);
  console.error(
    "usage: cli.ts --out PATH [--naming onnx-community|kokoro-onnx] [--no-durations] [--work N] [--max-tokens N] [--waveform-rank 1|2] [--weights-mb N]",
  );
  process.exit(2);
}

function intArg(name: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) usage(`${name} needs a non-negative integer`);
  return Number(v);
}

const args = process.argv.slice(2);
const opts: FixtureOptions = {};
let out: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  switch (a) {
    case "--out":
      out = args[++i];
      break;
    case "--naming": {
      const v = args[++i];
      if (v !== "onnx-community" && v !== "kokoro-onnx") usage(`bad --naming ${v}`);
      opts.naming = v;
      break;
    }
    case "--durations":
      opts.durations = true;
      break;
    case "--no-durations":
      opts.durations = false;
      break;
    case "--work":
      opts.work = intArg(a, args[++i]);
      break;
    case "--weights-mb":
      opts.weightsMb = intArg(a, args[++i]);
      break;
    case "--max-tokens":
      opts.maxTokens = intArg(a, args[++i]);
      break;
    case "--waveform-rank": {
      const r = intArg(a, args[++i]);
      if (r !== 1 && r !== 2) usage("--waveform-rank must be 1 or 2");
      opts.waveformRank = r;
      break;
    }
    case "-h":
    case "--help":
      usage();
    default:
      usage(`unknown argument ${a}`);
  }
}
if (!out) usage("--out is required");
const path = writeFixtureModel(resolve(out), opts);
console.log(`${path} ${statSync(path).size} bytes`);
