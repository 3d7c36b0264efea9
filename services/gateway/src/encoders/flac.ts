import { BitWriter } from "./bitwriter";
import { crc16Flac, crc8Flac } from "./crc";
import { type EncoderOptions, type StreamEncoder, EMPTY, EncoderStateError, concatBytes } from "./types";

/**
 * Streamed FLAC, 16-bit mono, written here (no package needed): "fLaC", a
 * STREAMINFO block with unknown total samples and a zero MD5 (allowed for
 * streams), then fixed-blocksize frames. Each subframe is the cheapest of
 * CONSTANT, VERBATIM and FIXED predictors of order 0-4 with partitioned Rice
 * residuals; frames carry CRC-8 (header) and CRC-16 (frame).
 */
export const FLAC_BLOCK_SIZE = 1152; // 48 ms at 24 kHz: short enough to stream, a FLAC subset size
const BPS = 16;
const MAX_FIXED_ORDER = 4;
const MAX_PARTITION_ORDER = 8; // subset limit

const RATE_CODES: Record<number, number> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
};

export function flacStreamHeader(sampleRate: number, blockSize: number): Uint8Array {
  const w = new BitWriter(42);
  w.write(0x664c6143, 32); // "fLaC"
  w.write(1, 1); // last metadata block
  w.write(0, 7); // STREAMINFO
  w.write(34, 24);
  w.write(blockSize, 16); // min block size (the last block may be shorter)
  w.write(blockSize, 16); // max block size
  w.write(0, 24); // min frame size: unknown
  w.write(0, 24); // max frame size: unknown
  w.write(sampleRate, 20);
  w.write(0, 3); // channels - 1
  w.write(BPS - 1, 5);
  w.write(0, 36); // total samples: unknown (streamed)
  for (let i = 0; i < 4; i++) w.write(0, 32); // MD5: unset
  return w.bytes().slice();
}

function writeUtf8Number(w: BitWriter, v: number): void {
  if (v < 0x80) return w.write(v, 8);
  const limits = [0x800, 0x10000, 0x200000, 0x4000000, 0x80000000];
  let extra = 1;
  while (extra < limits.length && v >= limits[extra - 1]!) extra++;
  if (v >= 0x80000000) throw new RangeError("flac: frame number too large");
  // first byte: (extra+1) leading ones, a zero, then the top (6 - extra) bits
  const lead = (0xff << (7 - extra)) & 0xff;
  w.write(lead | Math.floor(v / 2 ** (6 * extra)), 8);
  for (let i = extra - 1; i >= 0; i--) w.write(0x80 | (Math.floor(v / 2 ** (6 * i)) & 0x3f), 8);
}

function blockSizeCode(n: number): { code: number; extraBits: number } {
  if (n === 192) return { code: 1, extraBits: 0 };
  for (let c = 2; c <= 5; c++) if (n === 576 * 2 ** (c - 2)) return { code: c, extraBits: 0 };
  for (let c = 8; c <= 15; c++) if (n === 256 * 2 ** (c - 8)) return { code: c, extraBits: 0 };
  return n <= 256 ? { code: 6, extraBits: 8 } : { code: 7, extraBits: 16 };
}

const fold = (r: number) => (r >= 0 ? 2 * r : -2 * r - 1);

/** Residual of the fixed polynomial predictor of `order`, for samples[order..n). */
function fixedResidual(x: Int32Array, order: number, out: Int32Array): void {
  const n = x.length;
  switch (order) {
    case 0:
      for (let i = 0; i < n; i++) out[i] = x[i]!;
      break;
    case 1:
      for (let i = 1; i < n; i++) out[i] = x[i]! - x[i - 1]!;
      break;
    case 2:
      for (let i = 2; i < n; i++) out[i] = x[i]! - 2 * x[i - 1]! + x[i - 2]!;
      break;
    case 3:
      for (let i = 3; i < n; i++) out[i] = x[i]! - 3 * x[i - 1]! + 3 * x[i - 2]! - x[i - 3]!;
      break;
    case 4:
      for (let i = 4; i < n; i++) out[i] = x[i]! - 4 * x[i - 1]! + 6 * x[i - 2]! - 4 * x[i - 3]! + x[i - 4]!;
      break;
  }
}

interface RicePlan {
  bits: number;
  partitionOrder: number;
  params: number[];
  wide: boolean; // RICE2 (5-bit parameters)
}

/** Best Rice parameter for `count` folded values summing to `sum`, and its estimated cost. */
function bestParam(sum: number, count: number): { k: number; bits: number } {
  let best = { k: 0, bits: Infinity };
  if (count === 0) return { k: 0, bits: 0 };
  for (let k = 0; k <= 30; k++) {
    const bits = count * (k + 1) + Math.floor(sum / 2 ** k);
    if (bits < best.bits) best = { k, bits };
    else if (k > 0 && bits > best.bits) break; // convex in k
  }
  return best;
}

/** Choose the partition order and parameters for residual[order..n). */
function planRice(res: Int32Array, n: number, order: number): RicePlan {
  let maxP = 0;
  while (maxP < MAX_PARTITION_ORDER && n % 2 ** (maxP + 1) === 0 && n >> (maxP + 1) > order) maxP++;
  // folded sums per partition at the finest order, merged pairwise for coarser ones
  let sums = new Array<number>(1 << maxP).fill(0);
  const size = n >> maxP;
  for (let p = 0; p < sums.length; p++) {
    let s = 0;
    for (let i = p === 0 ? order : p * size, end = (p + 1) * size; i < end; i++) s += fold(res[i]!);
    sums[p] = s;
  }
  let best: RicePlan | null = null;
  for (let p = maxP; p >= 0; p--) {
    const parts = 1 << p;
    const psize = n >> p;
    const params: number[] = [];
    let bits = 0;
    for (let j = 0; j < parts; j++) {
      const r = bestParam(sums[j]!, j === 0 ? psize - order : psize);
      params.push(r.k);
      bits += r.bits;
    }
    const wide = params.some((k) => k > 14);
    bits += parts * (wide ? 5 : 4) + 6;
    if (!best || bits < best.bits) best = { bits, partitionOrder: p, params, wide };
    if (p > 0) {
      const merged = new Array<number>(parts >> 1);
      for (let j = 0; j < merged.length; j++) merged[j] = sums[2 * j]! + sums[2 * j + 1]!;
      sums = merged;
    }
  }
  return best!;
}

function writeSigned(w: BitWriter, v: number, bits: number): void {
  w.write(v < 0 ? v + 2 ** bits : v, bits);
}

/** Encode one channel's block as the cheapest subframe. */
function writeSubframe(w: BitWriter, x: Int32Array, scratch: Int32Array): void {
  const n = x.length;
  let constant = true;
  for (let i = 1; i < n && constant; i++) if (x[i] !== x[0]) constant = false;
  if (constant) {
    w.write(0, 8); // pad bit, type CONSTANT, no wasted bits
    writeSigned(w, x[0]!, BPS);
    return;
  }
  let bestOrder = -1;
  let bestBits = n * BPS; // verbatim
  let bestPlan: RicePlan | null = null;
  for (let order = 0; order <= MAX_FIXED_ORDER && order < n; order++) {
    fixedResidual(x, order, scratch);
    const plan = planRice(scratch, n, order);
    const bits = order * BPS + plan.bits;
    if (bits < bestBits) {
      bestBits = bits;
      bestOrder = order;
      bestPlan = plan;
    }
  }
  if (bestOrder < 0 || !bestPlan) {
    w.write(0b00000010, 8); // VERBATIM
    for (let i = 0; i < n; i++) writeSigned(w, x[i]!, BPS);
    return;
  }
  fixedResidual(x, bestOrder, scratch);
  w.write((0b001000 | bestOrder) << 1, 8); // FIXED, order
  for (let i = 0; i < bestOrder; i++) writeSigned(w, x[i]!, BPS);
  w.write(bestPlan.wide ? 1 : 0, 2);
  w.write(bestPlan.partitionOrder, 4);
  const psize = n >> bestPlan.partitionOrder;
  const paramBits = bestPlan.wide ? 5 : 4;
  for (let j = 0; j < bestPlan.params.length; j++) {
    const k = bestPlan.params[j]!;
    w.write(k, paramBits);
    const mask = 2 ** k;
    for (let i = j === 0 ? bestOrder : j * psize, end = (j + 1) * psize; i < end; i++) {
      const u = fold(scratch[i]!);
      const q = Math.floor(u / mask);
      w.unary(q);
      if (k) w.write(u % mask, k);
    }
  }
}

export class FlacStreamEncoder implements StreamEncoder {
  readonly format = "flac" as const;
  readonly contentType = "audio/flac";
  private readonly block: Int32Array;
  private readonly scratch: Int32Array;
  private fill = 0;
  private frameNumber = 0;
  private ended = false;
  private readonly rateCode: number;

  constructor(private readonly opts: EncoderOptions & { blockSize?: number }) {
    const rate = opts.sampleRate;
    if (!Number.isInteger(rate) || rate <= 0 || rate >= 2 ** 20)
      throw new RangeError(`flac: bad sample rate ${rate}`);
    const bs = opts.blockSize ?? FLAC_BLOCK_SIZE;
    if (!Number.isInteger(bs) || bs < 16 || bs > 65535) throw new RangeError(`flac: bad block size ${bs}`);
    this.block = new Int32Array(bs);
    this.scratch = new Int32Array(bs);
    // rates without a code are read from STREAMINFO (code 0)
    this.rateCode = RATE_CODES[rate] ?? 0;
  }

  start(): Uint8Array {
    return flacStreamHeader(this.opts.sampleRate, this.block.length);
  }

  push(pcm: Int16Array): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "push after end");
    const frames: Uint8Array[] = [];
    let i = 0;
    while (i < pcm.length) {
      const take = Math.min(this.block.length - this.fill, pcm.length - i);
      this.block.set(pcm.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.block.length) frames.push(this.frame(this.block));
    }
    return frames.length ? concatBytes(frames) : EMPTY;
  }

  end(): Uint8Array {
    if (this.ended) throw new EncoderStateError(this.format, "end called twice");
    this.ended = true;
    return this.fill > 0 ? this.frame(this.block.subarray(0, this.fill)) : EMPTY;
  }

  private frame(x: Int32Array): Uint8Array {
    const n = x.length;
    const w = new BitWriter(64 + n * 3);
    const bsc = blockSizeCode(n);
    w.write(0b11111111111110, 14); // sync
    w.write(0, 1); // reserved
    w.write(0, 1); // fixed blocksize stream
    w.write(bsc.code, 4);
    w.write(this.rateCode, 4);
    w.write(0, 4); // mono
    w.write(0b100, 3); // 16 bits per sample
    w.write(0, 1); // reserved
    writeUtf8Number(w, this.frameNumber++);
    if (bsc.extraBits) w.write(n - 1, bsc.extraBits);
    w.write(crc8Flac(w.bytes()), 8);
    writeSubframe(w, x, this.scratch.subarray(0, n));
    w.align();
    w.write(crc16Flac(w.bytes()), 16);
    this.fill = 0;
    return w.bytes().slice();
  }
}
