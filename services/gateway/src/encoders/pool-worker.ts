/**
 * The thread side of EncoderPool: holds the streams' encoders (by id) and
 * answers each call in the order it came, so one thread serves many streams
 * fairly, chunk by chunk (an MP3 encoder is made asynchronously: the calls
 * after its open wait in line for it). Runs under Bun's and Deno's Web Worker.
 */
import { createEncoder } from "./index";
import type { StreamEncoder } from "./types";
import type { PoolReply, PoolRequest } from "./pool";

declare const self: {
  onmessage: ((e: MessageEvent<PoolRequest>) => void) | null;
  postMessage(m: PoolReply | { ready: true }, transfer?: Transferable[]): void;
};

const encoders = new Map<number, StreamEncoder>();

/** The calls in arrival order: each runs once the one before it is done. */
let line: Promise<void> = Promise.resolve();
self.onmessage = (e) => {
  line = line.then(() => answer(e.data));
};

async function answer(m: PoolRequest): Promise<void> {
  try {
    let bytes: Uint8Array | undefined;
    if (m.op === "open") {
      encoders.set(m.id, await createEncoder(m.format, m.options));
      bytes = encoders.get(m.id)!.start();
    } else if (m.op === "push") bytes = encoders.get(m.id)!.push(m.pcm);
    else if (m.op === "end") {
      bytes = encoders.get(m.id)!.end();
      encoders.delete(m.id);
    } else {
      // close: the stream was cancelled
      encoders.get(m.id)?.close?.();
      encoders.delete(m.id);
    }
    const out = bytes ?? new Uint8Array(0);
    self.postMessage({ id: m.id, call: m.call, ok: true, bytes: out }, out.byteLength ? [out.buffer] : []);
  } catch (err) {
    if (m.op !== "close") encoders.delete(m.id);
    self.postMessage({ id: m.id, call: m.call, ok: false, message: (err as Error)?.message ?? String(err) });
  }
}
// Say so once listening: Bun drops a message posted to a worker still loading its imports.
self.postMessage({ ready: true });
