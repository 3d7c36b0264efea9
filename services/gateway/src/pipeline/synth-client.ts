import { SAMPLE_RATE, subjects, SynthEnd, SynthStart, SynthWords, type SynthRequestInput, type SynthResume } from "@kokoro-edge/proto";
import { AppError, BusError, StreamFailed, StreamRejected, decodeJson, fromWireError, int16FromBytes, type Bus, type Logger } from "@kokoro-edge/runtime";

export type SynthEvent =
  | { type: "start"; info: SynthStart }
  | { type: "audio"; pcm: Int16Array; chunk: number; offset: number }
  | { type: "words"; words: SynthWords }
  | { type: "end"; end: SynthEnd; resumes: number };

export interface SynthesizeOptions {
  signal?: AbortSignal;
  credit: number;
  maxResumes: number;
  idleTimeoutMs: number;
  log: Logger;
}

/**
 * A synthesis stream that survives its worker. It remembers where the last
 * complete chunk ended (sequence number and sample offset); when the worker
 * goes silent it asks the queue group again from that chunk, telling the new
 * worker which messages it already has. Inference is deterministic, so the
 * client gets every sample once: no gap, nothing repeated.
 */
export async function* synthesize(bus: Bus, request: Omit<SynthRequestInput, "resume">, opts: SynthesizeOptions): AsyncGenerator<SynthEvent> {
  const batches = batchChunks(request.chunks, MAX_REQUEST_BYTES);
  if (batches.length === 1) return yield* synthesizeBatch(bus, request, opts);
  // A text too long for one message: consecutive streams, laid end to end on one timeline.
  let offset = 0;
  let resumes = 0;
  let inferenceMs = 0;
  let chunks = 0;
  for (let b = 0; b < batches.length; b++) {
    for await (const ev of synthesizeBatch(bus, { ...request, chunks: batches[b]! }, opts)) {
      if (ev.type === "start") {
        if (b === 0) yield ev;
      } else if (ev.type === "audio") yield { ...ev, offset: ev.offset + offset };
      else if (ev.type === "words") {
        const shift = offset / SAMPLE_RATE;
        yield { type: "words", words: { ...ev.words, words: ev.words.words.map((w) => ({ ...w, start_s: w.start_s + shift, end_s: w.end_s + shift })) } };
      } else {
        offset += ev.end.samples;
        resumes += ev.resumes;
        inferenceMs += ev.end.inference_ms;
        chunks += ev.end.chunks;
      }
    }
  }
  yield { type: "end", end: { v: 1, chunks, samples: offset, duration_s: offset / SAMPLE_RATE, inference_ms: inferenceMs }, resumes };
}

/** Synth requests stay well under NATS's 1 MB message limit. */
const MAX_REQUEST_BYTES = 512 * 1024;

/** Split chunks into groups whose JSON stays under `maxBytes` (one group when it all fits). */
export function batchChunks<T>(chunks: T[], maxBytes: number): T[][] {
  const out: T[][] = [[]];
  let size = 0;
  for (const c of chunks) {
    const n = JSON.stringify(c).length + 1;
    if (size + n > maxBytes && out[out.length - 1]!.length > 0) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(c);
    size += n;
  }
  return out;
}

async function* synthesizeBatch(bus: Bus, request: Omit<SynthRequestInput, "resume">, opts: SynthesizeOptions): AsyncGenerator<SynthEvent> {
  let resume: SynthResume | undefined;
  let chunkStartSeq = 0;
  let nextSeq = 0;
  let resumes = 0;
  let started = false;
  let chunksDone = 0;
  while (true) {
    let reader;
    try {
      reader = await bus.openStream(subjects.synth.stream, { ...request, resume }, {
        credit: opts.credit,
        firstSeq: chunkStartSeq,
        fromSeq: nextSeq,
        signal: opts.signal,
        idleTimeoutMs: opts.idleTimeoutMs,
      });
    } catch (err) {
      if (err instanceof StreamRejected) throw fromWireError(err.error);
      if (err instanceof BusError && (err.code === "no_responders" || err.code === "timeout")) {
        if (started && resumes <= opts.maxResumes) {
          // The replica we lost may have been the only one ready: give the others a moment.
          resumes++;
          await new Promise((r) => setTimeout(r, 250 * resumes));
          continue;
        }
        throw new AppError(503, "no_synth_worker", "no synth worker is ready to take the request; see /readyz");
      }
      throw err;
    }
    if (!started) {
      started = true;
      yield { type: "start", info: SynthStart.parse(decodeJson(reader.accepted.data)) };
    }
    try {
      for await (const m of reader) {
        nextSeq = m.seq + 1;
        const kind = m.headers["ke-type"];
        if (kind === "words") {
          yield { type: "words", words: SynthWords.parse(decodeJson(m.data)) };
        } else if (kind === "audio") {
          const offset = Number(m.headers["ke-offset"]);
          const pcm = int16FromBytes(m.data);
          yield { type: "audio", pcm, chunk: Number(m.headers["ke-chunk"]), offset };
          if (m.headers["ke-chunk-end"] === "1") {
            chunksDone++;
            chunkStartSeq = m.seq + 1;
            resume = { chunk: chunksDone, offset: offset + pcm.length };
          }
        }
      }
      yield { type: "end", end: SynthEnd.parse(decodeJson(reader.end!.data)), resumes };
      return;
    } catch (err) {
      if (err instanceof StreamFailed) throw fromWireError(err.error);
      if (err instanceof BusError && err.code === "stream_lost" && resumes < opts.maxResumes && !opts.signal?.aborted) {
        resumes++;
        opts.log.warn("synth stream lost; resuming on another replica", { chunk: chunksDone, next_seq: nextSeq, attempt: resumes });
        continue;
      }
      if (err instanceof BusError && err.code === "stream_lost") throw new AppError(503, "synth_lost", "the synth worker stopped answering and no other replica could finish the stream");
      throw err;
    }
  }
}
