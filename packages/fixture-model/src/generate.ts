// Generates the fixture model bytes and writes them to disk.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { MAX_TOKENS } from "./contract.ts";
import { buildGraph, type GraphOptions, type Naming } from "./graph.ts";
import { encodeModel } from "./onnx-proto.ts";

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;
export const PRODUCER_VERSION = "1";

export interface FixtureOptions {
  /** Input/output names: "onnx-community" (input_ids -> waveform) or "kokoro-onnx" (tokens -> audio). */
  naming?: Naming;
  /** Add the `durations` int64 [1,T] output. Default true. */
  durations?: boolean;
  /** Dead MatMul layers per run (compute proportional to output frames). Default 0. */
  work?: number;
  /** Reject inputs longer than this many tokens (incl. pads), like Kokoro. Default 512; 0 = no limit. */
  maxTokens?: number;
  /** Waveform rank: 2 -> [1,N], 1 -> [N]. Default 2 (the onnx-community model's layout). */
  waveformRank?: 1 | 2;
  /**
   * MB of float32 weights the graph holds and reads on every run (one gathered weight per token), so
   * that memory and load-time figures reflect a real model's size: ~90 for Kokoro q8, ~326 for fp32.
   * The audio is unchanged. Default 0 (the ~8 KB model).
   */
  weightsMb?: number;
  /**
   * Written into the model's producer name, so that files of otherwise equal
   * models differ (a test hub's eight `onnx/` variants). The graph is the same.
   */
  label?: string;
}

export function resolveOptions(opts: FixtureOptions = {}): GraphOptions {
  const o: GraphOptions = {
    naming: opts.naming ?? "onnx-community",
    durations: opts.durations ?? true,
    work: opts.work ?? 0,
    maxTokens: opts.maxTokens ?? MAX_TOKENS,
    waveformRank: opts.waveformRank ?? 2,
    weightsMb: opts.weightsMb ?? 0,
  };
  if (o.naming !== "onnx-community" && o.naming !== "kokoro-onnx")
    throw new Error(`unknown naming: ${o.naming}`);
  if (!Number.isInteger(o.work) || o.work < 0) throw new Error(`work must be an integer >= 0, got ${o.work}`);
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 0) throw new Error(`maxTokens must be an integer >= 0`);
  if (o.waveformRank !== 1 && o.waveformRank !== 2) throw new Error(`waveformRank must be 1 or 2`);
  // A protobuf message (the whole model) must stay under 2 GB.
  if (!Number.isInteger(o.weightsMb) || o.weightsMb < 0 || o.weightsMb > 1800)
    throw new Error(`weightsMb must be an integer 0..1800, got ${o.weightsMb}`);
  return o;
}

/** The .onnx bytes of a fixture model (deterministic for given options). */
export function generateFixtureModel(opts: FixtureOptions = {}): Uint8Array {
  return encodeModel({
    irVersion: IR_VERSION,
    opsetVersion: OPSET_VERSION,
    producerName: `@kokoro-edge/fixture-model${opts.label ? ` (${opts.label})` : ""}`,
    producerVersion: PRODUCER_VERSION,
    graph: buildGraph(resolveOptions(opts)),
  });
}

/** Writes the model atomically (temp file + rename), creating directories. Returns `path`. */
export function writeFixtureModel(path: string, opts: FixtureOptions = {}): string {
  writeAtomic(path, generateFixtureModel(opts));
  return path;
}

/** `fixture-<naming>-<d|nod>-w<work>.onnx`, with `-m<maxTokens>` / `-r<rank>` / `-<N>mb` suffixes when not default. */
export function fixtureFileName(opts: FixtureOptions = {}): string {
  const o = resolveOptions(opts);
  let name = `fixture-${o.naming}-${o.durations ? "d" : "nod"}-w${o.work}`;
  if (o.maxTokens !== MAX_TOKENS) name += `-m${o.maxTokens}`;
  if (o.waveformRank !== 2) name += `-r${o.waveformRank}`;
  if (o.weightsMb > 0) name += `-${o.weightsMb}mb`;
  return `${name}.onnx`;
}

/**
 * Returns `${dir}/${fixtureFileName(opts)}`, writing it if missing (or if its bytes differ from what
 * this generator produces, so a stale file from an older generator is replaced). Safe to call
 * concurrently from several processes: writes are atomic.
 */
export function ensureFixtureModel(dir: string, opts: FixtureOptions = {}): string {
  const path = join(dir, fixtureFileName(opts));
  const bytes = generateFixtureModel(opts);
  if (existsSync(path)) {
    const current = readFileSync(path);
    if (current.length === bytes.length && Buffer.compare(current, bytes) === 0) return path;
  }
  writeAtomic(path, bytes);
  return path;
}

function writeAtomic(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
