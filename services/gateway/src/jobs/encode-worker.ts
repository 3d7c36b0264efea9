/**
 * The thread side of encodeOffThread: encodes one finished track and answers
 * with its size, or the error's message. Runs with Bun's and Deno's Web Worker.
 */
import { encodePcmFile } from "./encode-file";
import type { EncodeJob, EncodeResult } from "./encode-off-thread";

declare const self: {
  onmessage: ((e: MessageEvent<EncodeJob>) => void) | null;
  postMessage(m: EncodeResult | { ready: true }): void;
};

self.onmessage = async (e) => {
  const j = e.data;
  try {
    const bytes = await encodePcmFile(
      j.pcmPath,
      j.outPath,
      j.format,
      j.sampleRate,
      j.totalSamples,
      j.tmpPath,
    );
    self.postMessage({ ok: true, bytes });
  } catch (err) {
    self.postMessage({ ok: false, message: (err as Error)?.message ?? String(err) });
  }
};
// Say so once listening: Bun drops a message posted to a worker still loading its imports.
self.postMessage({ ready: true });
