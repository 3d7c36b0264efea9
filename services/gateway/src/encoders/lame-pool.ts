/**
 * LAME compiled to WebAssembly (wasm-media-encoders), a third of the CPU of
 * the pure-JS port for the same bytes' worth of MP3 (bench/encode-bench.ts).
 * An encoder's instance takes ~15 ms to make but can be set up again for a new
 * stream at once (configure() frees the old state), so finished encoders wait
 * here for the next stream: making one is paid only while the number of
 * streams at once grows.
 */
import { createMp3Encoder, type WasmMediaEncoder } from "wasm-media-encoders";

export type LameEncoder = WasmMediaEncoder<"audio/mpeg">;

export class LamePool {
  private readonly idle: LameEncoder[] = [];
  made = 0;

  /** At most `maxIdle` finished encoders are kept (each holds ~1 MB). */
  constructor(private readonly maxIdle = 16) {}

  /** An encoder ready to configure(): a finished one, or a new one. */
  async acquire(): Promise<LameEncoder> {
    const e = this.idle.pop();
    if (e) return e;
    this.made++;
    return createMp3Encoder();
  }

  /** A finished encoder (flushed, or abandoned mid-stream: configure() starts it afresh). */
  release(e: LameEncoder): void {
    if (this.idle.length < this.maxIdle) this.idle.push(e);
  }

  get idleCount(): number {
    return this.idle.length;
  }
}

/** The process's pool (each encoder thread has its own). */
export const lamePool = new LamePool();
