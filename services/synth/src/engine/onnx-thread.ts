/**
 * One inference thread: owns an onnxruntime InferenceSession. onnxruntime-node
 * runs inference synchronously on the calling thread, so the worker's main
 * thread only talks to these threads and stays free for the bus (heartbeats,
 * credit, new requests) while a chunk is being made.
 */
import { setPriority } from "node:os";
import * as ort from "onnxruntime-node";
// Only the one adapter: the whole runtime package would load the database and telemetry into every thread.
import { collectGarbage } from "@kokoro-edge/runtime/src/platform/gc.ts";
import { viewMapping } from "@kokoro-edge/runtime/src/platform/mapped-file.ts";

declare const self: Worker;

export type ThreadRequest =
  | {
      type: "load";
      path: string;
      intraOpThreads: number;
      interOpThreads: number;
      nice: number;
      /**
       * An ORT-format copy of the model mapped by the engine (platform/mapped-file.ts): the session
       * runs from those bytes, weights included, instead of loading `path`.
       */
      mapped?: { address: number; length: number };
    }
  | {
      type: "infer";
      id: number;
      names: { tokens: string; style: string; speed: string; audio: string; durations?: string };
      tokens: number[];
      style: Float32Array;
      speed: number;
    }
  | { type: "close" }
  | { type: "compact" };

export type ThreadReply =
  | { type: "loaded"; inputNames: string[]; outputNames: string[] }
  | { type: "result"; id: number; audio: Float32Array; durations?: Int32Array }
  | { type: "error"; id?: number; message: string }
  | { type: "closed" }
  | { type: "compacted" };

let session: ort.InferenceSession | undefined;
const reply = (msg: ThreadReply, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

self.onmessage = async (e: MessageEvent<ThreadRequest>) => {
  const msg = e.data;
  try {
    if (msg.type === "load") {
      // CPU priority of this thread, and of onnxruntime's pool threads, which the session creates
      // from it and which inherit it (Linux keeps a nice value per thread).
      if (msg.nice) setPriority(0, msg.nice);
      const options: ort.InferenceSession.SessionOptions = {
        intraOpNumThreads: msg.intraOpThreads,
        interOpNumThreads: msg.interOpThreads,
        graphOptimizationLevel: "all",
        executionMode: "sequential",
      };
      if (msg.mapped) {
        // The weights stay in the engine's one mapping of the file: onnxruntime points into it
        // (use_ort_model_bytes_directly / _for_initializers) instead of copying them, so every
        // thread's session shares one copy. The engine keeps the mapping alive until close.
        const bytes = await viewMapping(msg.mapped.address, msg.mapped.length);
        session = await ort.InferenceSession.create(bytes, {
          ...options,
          extra: {
            session: { use_ort_model_bytes_directly: "1", use_ort_model_bytes_for_initializers: "1" },
          },
        });
      } else session = await ort.InferenceSession.create(msg.path, options);
      reply({ type: "loaded", inputNames: [...session.inputNames], outputNames: [...session.outputNames] });
    } else if (msg.type === "infer") {
      if (!session) throw new Error("no model loaded in this inference thread");
      const ids = new BigInt64Array(msg.tokens.length + 2);
      for (let i = 0; i < msg.tokens.length; i++) ids[i + 1] = BigInt(msg.tokens[i]!);
      const out = await session.run({
        [msg.names.tokens]: new ort.Tensor("int64", ids, [1, ids.length]),
        [msg.names.style]: new ort.Tensor("float32", msg.style, [1, msg.style.length]),
        [msg.names.speed]: new ort.Tensor("float32", Float32Array.of(msg.speed), [1]),
      });
      const audio = new Float32Array(out[msg.names.audio]!.data as Float32Array);
      const d = msg.names.durations ? out[msg.names.durations] : undefined;
      const durations = d
        ? Int32Array.from(d.data as ArrayLike<number | bigint>, (x) => Math.round(Number(x)))
        : undefined;
      for (const t of Object.values(out)) t.dispose?.();
      reply(
        { type: "result", id: msg.id, audio, durations },
        durations ? [audio.buffer, durations.buffer] : [audio.buffer],
      );
    } else if (msg.type === "compact") {
      // Only sent while this thread is idle: a full collection returns the
      // output tensors and buffers of finished runs, so resident memory stays flat.
      collectGarbage();
      reply({ type: "compacted" });
    } else if (msg.type === "close") {
      await session?.release();
      session = undefined;
      reply({ type: "closed" });
    }
  } catch (err) {
    reply({ type: "error", id: msg.type === "infer" ? msg.id : undefined, message: (err as Error).message });
  }
};
