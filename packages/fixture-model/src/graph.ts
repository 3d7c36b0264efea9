// Builds the fixture's ONNX graph (opset 17). See README.md for the audio contract.
//
// Data flow (T tokens incl. pads, F frames, N = 600 F samples):
//
//   ids [T] ──┬─ base = 3 + ids mod 3 (+ zeros gathered at positions 0..T-1: fails for T > 512)
//             │   dur  = Clip(Round(base / speed), 1, 1000)                      [T]  -> durations
//             │   end  = CumSum(dur), start = end - dur                          [T]
//             ├─ freq = 200 + 25 ids + 8 tanh(50 mean(style[0:128]))            [T]
//             └─ loud = 0.5 * (ids != 0)                                         [T]
//   frame f -> token index j(f) = #{ j : end_j <= f }   ([F,T] compare, summed over T)
//   per-frame values gathered by j(f); per-sample grid [F,600]:
//     p    = (f - start) * 600 + s                 sample offset inside the token
//     env  = sin^2(pi (p + 0.5) / (600 dur))       Hann bump over the whole token
//     tone = sin(2 pi frac(freq p / 24000))        phase restarts at each token
//     wave = loud * env * tone -> reshape [1, N] (or [N])
//   work > 0: a chain of `work` [2F,2048]x[2048,2048] MatMul+bias+Tanh layers fed from the per-frame
//   frequencies; its |sum| is multiplied by -0 and added to the waveform (exact no-op on the audio,
//   but onnxruntime still has to compute it).

import * as C from "./contract.ts";
import {
  type AttrValue,
  DataType,
  type GraphDef,
  type NodeDef,
  type TensorDef,
  rawF32,
  rawI64,
} from "./onnx-proto.ts";

export type Naming = "onnx-community" | "kokoro-onnx";

export interface GraphOptions {
  naming: Naming;
  durations: boolean;
  work: number;
  /** Fail (Gather out of bounds) when T > maxTokens, like Kokoro's 512 positions; 0 disables. */
  maxTokens: number;
  /** Rank of the waveform output: 2 -> [1, N], 1 -> [N]. */
  waveformRank: 1 | 2;
  /** MB (2^20 bytes) of float32 weights held as one initializer, read by every run (0: none). */
  weightsMb: number;
}

/** Rows of the work matrix per audio frame, and its width (one layer = 2 F x 2048 x 2048 MACs). */
export const WORK_ROWS_PER_FRAME = 2;
export const WORK_WIDTH = 2048;

export const IO_NAMES: Record<
  Naming,
  { ids: string; style: string; speed: string; audio: string; durations: string }
> = {
  "onnx-community": {
    ids: "input_ids",
    style: "style",
    speed: "speed",
    audio: "waveform",
    durations: "durations",
  },
  "kokoro-onnx": { ids: "tokens", style: "style", speed: "speed", audio: "audio", durations: "durations" },
};

/** Odd multiplier that spreads token ids (0..177) over the whole weight tensor. */
const WEIGHT_STRIDE = 2654435761;

/** float32 weights in a 4 KiB page: every run reads one in each page of the sized weights. */
export const PAGE_WEIGHTS = 1024;

/** float32 elements in `mb` MB of weights. */
export function weightElements(mb: number): number {
  return Math.floor((mb * 1024 * 1024) / 4);
}

/**
 * Deterministic pseudo-random weights in [-1, 1) (xorshift32), never all-zero pages: a page of zeros
 * could be shared or left untouched by the kernel and the memory figures would flatter the model.
 */
export function fixtureWeights(count: number): Uint8Array {
  const out = new Float32Array(count);
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x | 0) / 2147483648;
  }
  return new Uint8Array(out.buffer);
}

/** Tiny graph builder: every op has one output, named after a counter (deterministic). */
class Builder {
  nodes: NodeDef[] = [];
  inits: TensorDef[] = [];
  private count = 0;

  private fresh(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  op(opType: string, inputs: string[], attrs?: Record<string, AttrValue>, output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [out], name: `${opType}_${this.nodes.length}`, attrs });
    return out;
  }

  f32(values: number | number[], dims?: number[]): string {
    const v = typeof values === "number" ? [values] : values;
    const name = this.fresh("cf");
    this.inits.push({
      name,
      dataType: DataType.FLOAT,
      dims: dims ?? (typeof values === "number" ? [] : [v.length]),
      raw: rawF32(v),
    });
    return name;
  }

  i64(values: number | number[], dims?: number[]): string {
    const v = typeof values === "number" ? [values] : values;
    const name = this.fresh("ci");
    this.inits.push({
      name,
      dataType: DataType.INT64,
      dims: dims ?? (typeof values === "number" ? [] : [v.length]),
      raw: rawI64(v),
    });
    return name;
  }

  // Small wrappers for readability.
  add(a: string, b: string) {
    return this.op("Add", [a, b]);
  }
  sub(a: string, b: string) {
    return this.op("Sub", [a, b]);
  }
  mul(a: string, b: string) {
    return this.op("Mul", [a, b]);
  }
  div(a: string, b: string) {
    return this.op("Div", [a, b]);
  }
  cast(a: string, to: number) {
    return this.op("Cast", [a], { to: { kind: "int", value: to } });
  }
  unsqueeze(a: string, axis: number) {
    return this.op("Unsqueeze", [a, this.i64([axis])]);
  }
  gather(data: string, idx: string) {
    return this.op("Gather", [data, idx], { axis: { kind: "int", value: 0 } });
  }
  mod1(a: string) {
    return this.op("Mod", [a, this.f32(1)], { fmod: { kind: "int", value: 1 } });
  }
}

export function buildGraph(o: GraphOptions): GraphDef {
  const io = IO_NAMES[o.naming];
  const g = new Builder();
  const F32 = DataType.FLOAT;

  // --- per-token values [T] ---
  const ids = g.op("Reshape", [io.ids, g.i64([-1])]);
  const idsF = g.cast(ids, F32);
  let base = g.add(g.cast(g.op("Mod", [ids, g.i64(3)]), F32), g.f32(C.BASE_FRAMES));
  if (o.maxTokens > 0) {
    // Positional lookup like Kokoro's BERT: Gather out of bounds (runtime error) when T > maxTokens.
    const t = g.op("Squeeze", [g.op("Shape", [ids]), g.i64([0])]);
    const pos = g.op("Range", [g.i64(0), t, g.i64(1)]);
    base = g.add(base, g.gather(g.f32(new Array(o.maxTokens).fill(0)), pos));
  }
  const dur = g.op("Clip", [g.op("Round", [g.div(base, io.speed)]), g.f32(1), g.f32(C.MAX_FRAMES_PER_TOKEN)]);
  const end = g.op("CumSum", [dur, g.i64(0)]);
  const start = g.sub(end, dur);

  const styleHead = g.op("Slice", [io.style, g.i64([0]), g.i64([C.SHIFT_DIMS]), g.i64([1])]);
  const styleMean = g.op("ReduceMean", [styleHead], {
    axes: { kind: "ints", value: [1] },
    keepdims: { kind: "int", value: 0 },
  });
  const shift = g.mul(g.op("Tanh", [g.mul(styleMean, g.f32(C.SHIFT_GAIN))]), g.f32(C.SHIFT_MAX_HZ));
  const freq = g.add(g.add(g.mul(idsF, g.f32(C.STEP_HZ)), g.f32(C.BASE_HZ)), shift);
  const notPad = g.cast(g.op("Not", [g.op("Equal", [ids, g.i64(0)])]), F32);
  const loud = g.mul(notPad, g.f32(C.AMPLITUDE));

  // --- frame -> token mapping ---
  const totalFrames = g.op("ReduceSum", [dur, g.i64([0])], { keepdims: { kind: "int", value: 0 } });
  const frames = g.op("Range", [g.f32(0), totalFrames, g.f32(1)]); // [F]
  const ended = g.op("LessOrEqual", [g.unsqueeze(end, 0), g.unsqueeze(frames, 1)]); // [F,T]: token ended before frame
  const tokIdxF = g.op("ReduceSum", [g.cast(ended, F32), g.i64([1])], {
    keepdims: { kind: "int", value: 0 },
  });
  const tokIdx = g.cast(tokIdxF, DataType.INT64); // [F]
  const col = (perToken: string) => g.unsqueeze(g.gather(perToken, tokIdx), 1); // [F,1]
  const fFreq = col(freq);
  const fDur = col(dur);
  const fLoud = col(loud);
  const fOffset = g.sub(g.unsqueeze(frames, 1), col(start)); // frames since token start [F,1]

  // --- per-sample grid [F,600] ---
  const s = g.op("Range", [g.f32(0), g.f32(C.FRAME_SAMPLES), g.f32(1)]); // constant, folded by ORT
  const sRow = g.unsqueeze(s, 0); // [1,600]
  const frameStart = g.mul(fOffset, g.f32(C.FRAME_SAMPLES)); // [F,1] sample offset of the frame in its token
  const p = g.add(frameStart, sRow); // [F,600]
  const tokenLen = g.mul(fDur, g.f32(C.FRAME_SAMPLES));
  const envSin = g.op("Sin", [g.mul(g.div(g.add(p, g.f32(0.5)), tokenLen), g.f32(Math.PI))]);
  const env = g.mul(envSin, envSin);
  const cyclesPerSample = g.div(fFreq, g.f32(C.SAMPLE_RATE)); // [F,1]
  // Phase in cycles, reduced mod 1 twice to keep Sin arguments small and float32 exact enough.
  const frameCycles = g.mod1(g.mul(cyclesPerSample, frameStart));
  const cycles = g.mod1(g.add(frameCycles, g.mul(cyclesPerSample, sRow)));
  const tone = g.op("Sin", [g.mul(cycles, g.f32(2 * Math.PI))]);
  let wave = g.op("Reshape", [g.mul(g.mul(env, tone), fLoud), g.i64(o.waveformRank === 2 ? [1, -1] : [-1])]);

  // --- dialable dead compute ---
  if (o.work > 0) {
    const W = WORK_WIDTH;
    const row = g.op("Sin", [
      g.mul(g.op("Range", [g.f32(0), g.f32(WORK_ROWS_PER_FRAME * W), g.f32(1)]), g.f32(0.37)),
    ]);
    const x0 = g.op("Sin", [g.mul(g.mul(fFreq, g.f32(1e-3)), g.unsqueeze(row, 0))]); // [F, 2*2048]
    let x = g.op("Reshape", [x0, g.i64([-1, W])]); // [2F, 2048]
    // Fixed pseudo-random weights from a constant subgraph (folded once at session creation).
    const wFlat = g.op("Sin", [
      g.mul(g.op("Range", [g.f32(0), g.f32(W * W), g.f32(1)]), g.f32(0.7548776662)),
    ]);
    const weights = g.mul(g.op("Reshape", [wFlat, g.i64([W, W])]), g.f32(2 / Math.sqrt(W)));
    // Tanh keeps values finite; the bias keeps them away from zero. Without it the chain shrinks
    // (sin(a k) makes a rank-2 matrix) into subnormal floats after ~35 layers, which the CPU
    // computes many times slower: the cost jumped ~15x between work 30 and 45 instead of growing
    // in proportion, and varied with the tokens.
    const bias = g.f32(0.5);
    for (let i = 0; i < o.work; i++) x = g.op("Tanh", [g.add(g.op("MatMul", [x, weights]), bias)]);
    const total = g.op("ReduceSum", [x], { keepdims: { kind: "int", value: 0 } });
    // |finite| * -0 == -0 and x + -0 == x for every float x (also -0): the audio is bit-identical.
    wave = g.add(wave, g.mul(g.op("Abs", [total]), g.f32(-0)));
  }
  // --- real-sized weights ---
  if (o.weightsMb > 0) {
    // One initializer of weightsMb MB (a real model's size: q8 ~90, fp32 ~326) that onnxruntime loads,
    // holds and reads on every run, as a real model reads all of its weights. Cheaply: the run
    // gathers one weight per token at a position spread over the whole tensor by the token id (a
    // multiplicative hash), and one weight in every 4 KiB page at an offset set by the tokens, so
    // every page of the weights is touched (resident) by every run, at O(T + pages) cost. Neither can
    // be folded away. Their |sum| is added times -0, like the work chain: the audio is bit-identical.
    const count = weightElements(o.weightsMb);
    const weights = "weights";
    g.inits.push({ name: weights, dataType: F32, dims: [count], raw: fixtureWeights(count) });
    const pos = g.op("Mod", [g.mul(ids, g.i64(WEIGHT_STRIDE)), g.i64(count)]);
    const picked = g.gather(weights, pos);
    const pageStarts = g.op("Range", [g.i64(0), g.i64(count), g.i64(PAGE_WEIGHTS)]);
    const offset = g.op("Mod", [
      g.mul(g.op("ReduceSum", [ids, g.i64([0])]), g.i64(WEIGHT_STRIDE)),
      g.i64(PAGE_WEIGHTS),
    ]);
    const swept = g.gather(weights, g.add(pageStarts, offset));
    const sum = g.add(
      g.op("ReduceSum", [picked, g.i64([0])], { keepdims: { kind: "int", value: 0 } }),
      g.op("ReduceSum", [swept, g.i64([0])], { keepdims: { kind: "int", value: 0 } }),
    );
    wave = g.add(wave, g.mul(g.op("Abs", [sum]), g.f32(-0)));
  }
  g.op("Identity", [wave], undefined, io.audio);
  if (o.durations) g.op("Unsqueeze", [g.cast(dur, DataType.INT64), g.i64([0])], undefined, io.durations);

  return {
    name: "kokoro_fixture",
    nodes: g.nodes,
    initializers: g.inits,
    inputs: [
      { name: io.ids, elemType: DataType.INT64, shape: [1, "sequence_length"] },
      { name: io.style, elemType: F32, shape: [1, 256] },
      { name: io.speed, elemType: F32, shape: [1] },
    ],
    outputs: [
      { name: io.audio, elemType: F32, shape: o.waveformRank === 2 ? [1, "num_samples"] : ["num_samples"] },
      ...(o.durations
        ? [{ name: io.durations, elemType: DataType.INT64, shape: [1, "sequence_length"] }]
        : []),
    ],
    docString: `Kokoro-82M signature fixture (${o.naming}, durations=${o.durations}, work=${o.work}); see @kokoro-edge/fixture-model README.`,
  };
}
