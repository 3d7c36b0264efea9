import {
  contracts,
  readAudioMessage,
  SAMPLE_RATE,
  SynthEnd,
  SynthWords,
  synthMessageType,
  type SynthStart,
  type SynthRequestInput,
  type SynthResume,
} from "@kokoro-edge/proto";
import {
  AppError,
  BusError,
  StreamFailed,
  StreamRejected,
  decodeJson,
  fromWireError,
  int16FromBytes,
  type Bus,
  type Logger,
  type StreamMessage,
  type StreamReader,
} from "@kokoro-edge/runtime";
import { ChunkPace, DEFAULT_HEDGE_POLICY, hedgeAt, type HedgeBudget, type HedgePolicy } from "./hedge-policy";

export type SynthEvent =
  | { type: "start"; info: SynthStart }
  /** `inferenceMs`: on a chunk's last message, what inferring the chunk took on its replica. */
  | { type: "audio"; pcm: Int16Array; chunk: number; offset: number; inferenceMs?: number }
  | { type: "words"; words: SynthWords }
  | { type: "end"; end: SynthEnd; resumes: number };

export interface SynthesizeOptions {
  signal?: AbortSignal;
  credit: number;
  maxResumes: number;
  idleTimeoutMs: number;
  /** Ask the replica for a heartbeat this often (ms): its death is then noticed within a few (see the bus's silence.ts). */
  heartbeatMs?: number;
  /** Ask a second replica for an overdue chunk (hedge-policy.ts); false: never. Default DEFAULT_HEDGE_POLICY. */
  hedge?: HedgePolicy | false;
  /** Hedges at once across streams (shared by the gateway's streams); unset: no limit beyond the policy's. */
  hedgeBudget?: HedgeBudget;
  /** Failovers and hedges, for metrics. */
  events?: FailoverEvents;
  log: Logger;
}

/** What the gateway counts about replicas lost and chunks hedged. */
export interface FailoverEvents {
  /** The stream moved to another replica; `by`: how the loss was noticed (no_responders, gone, silence, hedge, sequence_gap). */
  failover?(by: string): void;
  /**
   * A hedge ended: `won` (the second replica answered first), `lost` (the first one did: a false alarm),
   * `failed` (no second replica took it); or never started: `skipped` (the gateway's hedge budget was spent).
   */
  hedge?(outcome: "won" | "lost" | "failed" | "skipped"): void;
}

/**
 * The least silence before a replica is given up for silent: a killed replica is noticed sooner
 * (NATS's no-responders answer, or its own last word), so silence only has to catch a hung or
 * cut-off one, and a gateway whose event loop is busy for a moment must not fail over for it.
 */
const SILENCE_FLOOR_MS = 750;

/** A resumed or hedged stream must be accepted quickly: a replica that is hung but still subscribed would otherwise hold it. */
const RESUME_ACCEPT_MS = 2_000;
/**
 * Times a hedge asks the queue group again when the replica it avoids picks it up. NATS picks a
 * queue member at random, so with two replicas a hedge fails when the slow one is picked every
 * time: 1 in 16 with 4 tries (seen in CI: a second hedge then had to be asked), 1 in 256 with 8.
 * A try the slow replica refuses costs one round trip (a few ms).
 */
const AVOID_RETRIES = 8;

/**
 * A synthesis stream that survives its worker. It remembers where the last
 * complete chunk ended (sequence number and sample offset); when the worker
 * goes silent it asks the queue group again from that chunk, telling the new
 * worker which messages it already has. Inference is deterministic, so the
 * client gets every sample once: no gap, nothing repeated.
 */
export async function* synthesize(
  bus: Bus,
  request: Omit<SynthRequestInput, "resume">,
  opts: SynthesizeOptions,
): AsyncGenerator<SynthEvent> {
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
        yield {
          type: "words",
          words: {
            ...ev.words,
            words: ev.words.words.map((w) => ({ ...w, start_s: w.start_s + shift, end_s: w.end_s + shift })),
          },
        };
      } else {
        offset += ev.end.samples;
        resumes += ev.resumes;
        inferenceMs += ev.end.inference_ms;
        chunks += ev.end.chunks;
      }
    }
  }
  yield {
    type: "end",
    end: { v: 1, chunks, samples: offset, duration_s: offset / SAMPLE_RATE, inference_ms: inferenceMs },
    resumes,
  };
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

interface Attempt {
  reader: StreamReader;
  it: AsyncIterator<StreamMessage>;
  info: SynthStart;
  next?: Promise<IteratorResult<StreamMessage>>;
}

type RaceEvent =
  | { k: "msg"; a: Attempt; r: IteratorResult<StreamMessage> }
  | { k: "err"; a: Attempt; err: unknown }
  | { k: "hedge-open"; a: Attempt }
  | { k: "hedge-fail"; err: unknown }
  | { k: "timer" };

function pull(a: Attempt): Promise<IteratorResult<StreamMessage>> {
  return (a.next ??= a.it.next());
}

function settle(a: Attempt): Promise<RaceEvent> {
  return pull(a).then(
    (r) => ({ k: "msg", a, r }),
    (err) => ({ k: "err", a, err }),
  );
}

async function* synthesizeBatch(
  bus: Bus,
  request: Omit<SynthRequestInput, "resume">,
  opts: SynthesizeOptions,
): AsyncGenerator<SynthEvent> {
  const policy = opts.hedge === false ? undefined : (opts.hedge ?? DEFAULT_HEDGE_POLICY);
  const pace = new ChunkPace();
  let resume: SynthResume | undefined;
  let chunkStartSeq = 0;
  let nextSeq = 0;
  let resumes = 0;
  let hedges = 0;
  let started = false;
  let chunksDone = 0;
  let firstAudioAt: number | undefined;
  let audioSamples = 0; // received in this batch
  let avoid: string | undefined; // a replica lost to silence may be hung yet subscribed

  /**
   * Open a stream at the current resume point, on a replica other than `avoidWorker` if another
   * takes it; `strict` (a hedge): only on another replica, else fail (redoing its own work helps nobody).
   */
  const open = async (
    avoidWorker: string | undefined,
    acceptTimeoutMs?: number,
    strict = false,
  ): Promise<Attempt> => {
    for (let i = 0; ; i++) {
      if (strict && i >= AVOID_RETRIES)
        throw new Error(`no replica other than ${avoidWorker} took the hedge`);
      const avoiding = avoidWorker && i < AVOID_RETRIES ? [avoidWorker] : undefined;
      try {
        const reader = await bus.openStream(
          contracts.synth.stream,
          { ...request, resume, avoid_workers: avoiding },
          {
            credit: opts.credit,
            firstSeq: chunkStartSeq,
            fromSeq: nextSeq,
            signal: opts.signal,
            idleTimeoutMs: opts.idleTimeoutMs,
            heartbeatMs: opts.heartbeatMs,
            silenceFloorMs: SILENCE_FLOOR_MS,
            acceptTimeoutMs,
          },
        );
        return {
          reader,
          it: reader[Symbol.asyncIterator](),
          info: reader.accept,
        };
      } catch (err) {
        if (avoiding && err instanceof StreamRejected && err.error.code === "avoided") continue;
        throw err;
      }
    }
  };

  let primary: Attempt | undefined;
  try {
    while (true) {
      if (!primary) {
        try {
          primary = await open(avoid, started ? RESUME_ACCEPT_MS : undefined);
        } catch (err) {
          if (err instanceof StreamRejected) throw fromWireError(err.error);
          if (err instanceof BusError && (err.code === "no_responders" || err.code === "timeout")) {
            if (started && resumes <= opts.maxResumes) {
              // The replica we lost may have been the only one ready: give the others a moment.
              resumes++;
              avoid = undefined;
              await new Promise((r) => setTimeout(r, 250 * resumes));
              continue;
            }
            throw new AppError(
              503,
              "no_synth_worker",
              "no synth worker is ready to take the request; see /readyz",
            );
          }
          throw err;
        }
        if (!started) {
          started = true;
          yield { type: "start", info: primary.info };
        }
      }
      try {
        // ---- the next message: from the primary, or from a hedge if the primary is overdue
        let hedge: Attempt | undefined;
        let hedgeOpening: Promise<Attempt> | undefined;
        let release: (() => void) | undefined; // this hedge's share of the gateway's budget
        const ended = (outcome: "won" | "lost" | "failed") => {
          release?.();
          release = undefined;
          opts.events?.hedge?.(outcome);
        };
        const dropHedge = () => {
          release?.();
          release = undefined;
          hedge?.reader.cancel("hedge lost");
          hedgeOpening?.then((a) => a.reader.cancel("hedge lost")).catch(() => {});
          hedge = hedgeOpening = undefined;
        };
        const waitingSince = performance.now();
        let got: IteratorResult<StreamMessage> | undefined;
        while (!got) {
          const races: Promise<RaceEvent>[] = [settle(primary)];
          let timer: ReturnType<typeof setTimeout> | undefined;
          if (hedge) races.push(settle(hedge));
          else if (hedgeOpening)
            races.push(
              hedgeOpening.then(
                (a) => ({ k: "hedge-open", a }) as const,
                (err) => ({ k: "hedge-fail", err }) as const,
              ),
            );
          else if (policy && hedges < policy.maxPerStream && !opts.signal?.aborted) {
            const chunk = request.chunks[chunksDone];
            const at = hedgeAt(
              {
                waitingSince,
                expectedMs: chunk ? pace.expectedMs(chunk.tokens.length) : undefined,
                audioRunsOutAt:
                  firstAudioAt === undefined ? undefined : firstAudioAt + (audioSamples / SAMPLE_RATE) * 1000,
              },
              policy,
            );
            races.push(
              new Promise(
                (r) => (timer = setTimeout(() => r({ k: "timer" }), Math.max(0, at - performance.now()))),
              ),
            );
          }
          const ev = await Promise.race(races);
          clearTimeout(timer);
          if (ev.k === "timer") {
            hedges++;
            release = opts.hedgeBudget ? opts.hedgeBudget.take() : () => {};
            if (!release) {
              opts.events?.hedge?.("skipped");
              continue;
            }
            opts.log.warn("synth chunk overdue; asking a second replica", {
              chunk: chunksDone,
              next_seq: nextSeq,
              slow_worker: primary.info.worker,
              waited_ms: Math.round(performance.now() - waitingSince),
            });
            hedgeOpening = open(primary.info.worker, RESUME_ACCEPT_MS, true);
            hedgeOpening.catch(() => {});
          } else if (ev.k === "hedge-open") {
            hedgeOpening = undefined;
            if (ev.a.info.worker === primary.info.worker) {
              // only the slow replica is there: it would redo its own work
              ev.a.reader.cancel("hedge on the same replica");
              ended("failed");
            } else hedge = ev.a;
          } else if (ev.k === "hedge-fail") {
            hedgeOpening = undefined;
            ended("failed");
            opts.log.debug("hedge could not start", { error: (ev.err as Error).message });
          } else if (ev.k === "msg" && ev.a === primary) {
            primary.next = undefined;
            if (hedge || hedgeOpening) {
              dropHedge();
              ended("lost");
            }
            got = ev.r;
          } else if (ev.k === "msg") {
            // the hedge answered first: it takes over, the slow replica stops
            ev.a.next = undefined;
            primary.reader.cancel("a hedge answered first");
            primary = ev.a;
            hedge = undefined;
            ended("won");
            opts.log.info("hedge answered first; the stream continues on it", {
              chunk: chunksDone,
              worker: primary.info.worker,
            });
            got = ev.r;
          } else if (ev.a === primary) {
            if (!(ev.err instanceof BusError && ev.err.code === "stream_lost") || (!hedge && !hedgeOpening)) {
              dropHedge();
              throw ev.err;
            }
            // the primary is gone while a hedge is under way: the hedge is the failover
            opts.events?.failover?.("hedge");
            const next = hedge ?? (await hedgeOpening!.catch(() => undefined));
            hedge = hedgeOpening = undefined;
            if (!next) {
              ended("failed");
              throw ev.err;
            }
            primary = next;
            ended("won");
          } else {
            hedge = undefined;
            ended("failed");
          }
        }
        if (got.done) {
          const end = primary.reader.end;
          if (!end) {
            // the reader was closed under us: the client left (a cancellation, not a failure), or the stream broke off
            if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("cancelled by the client");
            throw new BusError("stream_lost", "the synth stream ended without its end message");
          }
          yield { type: "end", end: SynthEnd.parse(decodeJson(end.data)), resumes };
          return;
        }
        // ---- one message
        const m = got.value;
        nextSeq = m.seq + 1;
        const kind = synthMessageType(m.headers);
        if (kind === "words") {
          yield { type: "words", words: SynthWords.parse(decodeJson(m.data)) };
        } else if (kind === "audio") {
          const audio = readAudioMessage(m.headers);
          const offset = audio.offset;
          const pcm = int16FromBytes(m.data);
          firstAudioAt ??= performance.now();
          audioSamples += pcm.length;
          const inferenceMs = audio.chunkEnd ? audio.inferenceMs : undefined;
          yield {
            type: "audio",
            pcm,
            chunk: audio.chunk,
            offset,
            ...(inferenceMs !== undefined ? { inferenceMs } : {}),
          };
          if (audio.chunkEnd) {
            const tokens = request.chunks[chunksDone]?.tokens.length ?? 0;
            if (inferenceMs !== undefined && Number.isFinite(inferenceMs)) pace.observe(tokens, inferenceMs);
            chunksDone++;
            chunkStartSeq = m.seq + 1;
            resume = { chunk: chunksDone, offset: offset + pcm.length };
          }
        }
      } catch (err) {
        if (err instanceof StreamFailed) throw fromWireError(err.error);
        const lost = err instanceof BusError && err.code === "stream_lost";
        if (lost && resumes < opts.maxResumes && !opts.signal?.aborted) {
          resumes++;
          const by = String(err.details.by ?? "sequence_gap");
          avoid = by === "silence" ? primary.info.worker : undefined;
          opts.events?.failover?.(by);
          opts.log.warn("synth stream lost; resuming on another replica", {
            chunk: chunksDone,
            next_seq: nextSeq,
            attempt: resumes,
            by,
            lost_worker: primary.info.worker,
          });
          primary = undefined;
          continue;
        }
        if (lost)
          throw new AppError(
            503,
            "synth_lost",
            "the synth worker stopped answering and no other replica could finish the stream",
          );
        throw err;
      }
    }
  } finally {
    // the consumer stopped early (or the stream failed): the replica stops too
    primary?.reader.cancel("consumer stopped reading");
  }
}
