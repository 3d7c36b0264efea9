import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { createEncoder, wavHeader } from "../encoders";

const CHUNK_SAMPLES = 24_000;

/**
 * A finished raw track -> the requested format, written atomically. WAV gets
 * a header with the real sizes (a file, not a stream); the others go through
 * the same streaming encoders as live responses.
 */
export async function encodePcmFile(
  pcmPath: string,
  outPath: string,
  format: string,
  sampleRate: number,
  totalSamples: number,
  tmp = `${outPath}.tmp`,
): Promise<number> {
  const src = openSync(pcmPath, "r");
  let out: number;
  try {
    out = openSync(tmp, "w");
  } catch (err) {
    closeSync(src);
    throw err;
  }
  let bytes = 0;
  const put = (b: Uint8Array) => {
    if (b.length) bytes += writeSync(out, b);
  };
  try {
    const encoder = format === "wav" ? undefined : await createEncoder(format, { sampleRate });
    if (encoder) put(encoder.start());
    else put(wavHeader(sampleRate, 1, 16, totalSamples * 2));
    const buf = new Int16Array(CHUNK_SAMPLES);
    for (let done = 0; done < totalSamples;) {
      const n = Math.min(CHUNK_SAMPLES, totalSamples - done);
      const view = new Uint8Array(buf.buffer, 0, n * 2);
      const got = readSync(src, view, 0, n * 2, done * 2);
      if (got < n * 2) view.fill(0, got); // a track shorter than its report: silence
      const pcm = buf.subarray(0, n);
      put(encoder ? encoder.push(pcm) : new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      done += n;
    }
    if (encoder) put(encoder.end());
  } catch (err) {
    closeSync(out);
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    closeSync(src);
  }
  closeSync(out);
  renameSync(tmp, outPath);
  return bytes;
}
