/** MSB-first bit writer into a growing byte buffer. */
export class BitWriter {
  private buf: Uint8Array;
  private len = 0; // whole bytes written
  private acc = 0; // pending bits (fewer than 8), right-aligned
  private n = 0; // number of pending bits

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  private byte(b: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }

  /** Write the low `bits` bits of `value` (0 <= bits <= 32), most significant first. */
  write(value: number, bits: number): void {
    while (bits > 0) {
      const take = bits > 24 ? 24 : bits;
      const shift = bits - take;
      const part = shift >= 32 ? 0 : Math.floor(value / 2 ** shift) % 2 ** take; // exact for values up to 2^53
      this.acc = (this.acc * 2 ** take + part) % 2 ** 32; // acc < 2^8, so at most 2^32
      this.n += take;
      bits -= take;
      while (this.n >= 8) {
        this.n -= 8;
        this.byte(Math.floor(this.acc / 2 ** this.n) & 0xff);
      }
      this.acc &= (1 << this.n) - 1;
    }
  }

  /** `q` zero bits followed by a one. */
  unary(q: number): void {
    while (q >= 24) {
      this.write(0, 24);
      q -= 24;
    }
    this.write(1, q + 1);
  }

  /** Pad with zero bits to a byte boundary. */
  align(): void {
    if (this.n > 0) this.write(0, 8 - this.n);
  }

  get byteLength(): number {
    return this.len;
  }

  get aligned(): boolean {
    return this.n === 0;
  }

  /** The bytes written so far (a view; call after align()). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
