import { closeSync, ftruncateSync, openSync, readSync, writeSync, fstatSync } from "node:fs";
import type { TimelineSink } from "../subtitles/timeline";

/**
 * A timeline written straight to a raw s16le file at exact sample offsets,
 * silence in the gaps, overlaps mixed. Memory stays at one cue whatever the
 * track's length, and silent gaps are holes in a sparse file (no bytes written).
 * Opening with `resumeSample` cuts the file there (output
 * before it is final) so a resumed render continues the same bytes.
 */
export class PcmFileSink implements TimelineSink {
  private fd: number;
  private written: number; // samples in the file

  constructor(path: string, resumeSample = 0) {
    this.fd = openSync(path, resumeSample > 0 ? "r+" : "w+");
    const have = Math.floor(fstatSync(this.fd).size / 2);
    if (resumeSample > have)
      throw new Error(`cannot resume at sample ${resumeSample}: the file holds ${have}`);
    ftruncateSync(this.fd, resumeSample * 2);
    this.written = resumeSample;
  }

  get samples() {
    return this.written;
  }

  write(offset: number, pcm: Int16Array): void {
    if (offset > this.written) this.zeros(this.written, offset - this.written);
    let src = pcm;
    if (offset < this.written) {
      const overlap = Math.min(this.written - offset, pcm.length);
      const existing = new Int16Array(overlap);
      readSync(this.fd, new Uint8Array(existing.buffer), 0, overlap * 2, offset * 2);
      src = pcm.slice();
      for (let i = 0; i < overlap; i++) {
        const v = existing[i]! + src[i]!;
        src[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    writeSync(
      this.fd,
      new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
      0,
      src.byteLength,
      offset * 2,
    );
    this.written = Math.max(this.written, offset + pcm.length);
  }

  end(totalSamples: number): void {
    if (totalSamples > this.written) this.zeros(this.written, totalSamples - this.written);
  }

  close() {
    closeSync(this.fd);
  }

  /**
   * Silence up to `at + n` by extending the file, not by writing zeros: the
   * file system reads the hole as zeros without storing them, so a cue at
   * 03:00:00 no longer writes 518 MB of zeros synchronously on the event loop
   * (issue 20, finding 2). One system call, whatever the gap.
   */
  private zeros(at: number, n: number) {
    ftruncateSync(this.fd, (at + n) * 2);
    this.written = Math.max(this.written, at + n);
  }
}
