import {
  SAMPLE_RATE,
  MAX_AUDIO_BYTES_PER_MESSAGE,
  audioMessageHeaders,
  endMessageHeaders,
  wordsMessageHeaders,
  type SynthEnd,
  type SynthRequest,
  type SynthStart,
  type SynthWords,
} from "@kokoro-edge/proto";
import { AppError, encodeJson, type Logger, type StreamSession } from "@kokoro-edge/runtime";
import type { Engine } from "./engine/types";
import {
  PLAN_HORIZON_MS,
  type DeadlineScheduler,
  type Lane,
  type RunMark,
  type StreamPlan,
} from "./scheduler";
import type { InferencePace } from "./pace";
import { chunkSchedule, isFirstChunk, planAhead } from "./deadline";
import { FIRST_MESSAGE_SAMPLES, shapeChunk, splitPcm, type ShapedChunk } from "./seams";
import { styleFor } from "./style";
import { wordTimings } from "./timestamps";
import type { VoiceStore } from "./voices";
import { pauseFor, type TestPause } from "./test-pause";
import type { ChunkCache } from "./cache/chunk-cache";
import type { CachedChunk } from "./cache/cached-chunk";
import { chunkKey } from "./cache/chunk-key";

export interface StreamHandlerDeps {
  engine: () => Engine | undefined;
  notReadyReason: () => string;
  voices: VoiceStore;
  scheduler: DeadlineScheduler;
  /** Chunks already made are served from here, and chunks made are kept here. */
  cache?: ChunkCache;
  /** How long inference takes here, learned as it runs. */
  pace: InferencePace;
  /** Infer the next chunk while the current one waits for credit. */
  lookahead: boolean;
  /** Give chunks that are not due soon a just-in-time start. */
  justInTime: boolean;
  log: Logger;
  instance: string;
  maxAudioBytes?: number;
  /** A stream starts. */
  onStreamStart?: () => void;
  onStreamEnd?: () => void;
  onInference?: (ms: number, audioSeconds: number) => void;
  /** A chunk was served from the cache. */
  onCacheServed?: () => void;
  /** A first chunk waited `ms` for the engine. */
  onFirstChunkWait?: (ms: number) => void;
  /** A later chunk was ready `ms` after its stream's audio ran out. */
  onLate?: (ms: number) => void;
  /** Test hook (NODE_ENV=test only): hold one chunk's inference (test-pause.ts). */
  testPause?: TestPause;
}

/**
 * One synthesis stream: every chunk is inferred (earliest deadline first),
 * shaped at its seams, and published as soon as it is made, in order, with its
 * sequence number, chunk index and sample offset. Stops within one chunk when
 * the consumer goes away.
 */
/** A chunk ready to send: its shaped audio, the engine's durations, and what inferring it cost (0: from the cache). */
interface MadeChunk {
  shaped: ShapedChunk;
  durations?: Int32Array;
  ms: number;
  /** Served from the chunk cache. */
  cached?: boolean;
}

/** A cached chunk as a made one. */
function fromCache(c: CachedChunk): MadeChunk {
  return {
    durations: c.durations,
    shaped: { pcm: c.pcm, trimStart: c.trimStart, speechSamples: c.speechSamples },
    ms: 0,
    cached: true,
  };
}

/** What engines without style vectors are given. */
const NO_STYLE = new Float32Array(256);

/** Serves one synthesis stream: the bus has already checked the request against the contract. */
export type SynthStreamHandler = (
  session: StreamSession,
  req: SynthRequest,
) => Promise<{ data?: Uint8Array; headers?: Record<string, string> } | void>;

export function createStreamHandler(deps: StreamHandlerDeps): SynthStreamHandler {
  const maxBytes = deps.maxAudioBytes ?? MAX_AUDIO_BYTES_PER_MESSAGE;
  return async (session, req) => {
    // A hedge for a stream this replica is already (slowly) producing: another replica must take it.
    if (req.avoid_workers?.includes(deps.instance))
      throw new AppError(409, "avoided", `replica ${deps.instance} is asked to leave this stream to another`);
    const engine = deps.engine();
    if (!engine) throw new AppError(503, "model_unavailable", deps.notReadyReason());
    const voice =
      engine.usesStyle === false
        ? await deps.voices.resolveByName(req.voice)
        : await deps.voices.resolve(req.voice);
    const log = deps.log.child({ request_id: req.request_id });
    const chunks = req.chunks.slice(req.resume?.chunk ?? 0);
    const styles = chunks.map((c) =>
      engine.usesStyle === false ? NO_STYLE : styleFor(voice.packs, c.tokens.length),
    );
    // Every chunk's cache key, and which are cached, before the stream is accepted: the start says how many.
    const keys = deps.cache
      ? chunks.map((c, k) =>
          chunkKey({
            engine: engine.name,
            modelId: engine.modelId,
            sampleRate: engine.sampleRate,
            speed: req.speed,
            pauseAfterS: c.pause_after_s,
            tokens: c.tokens,
            ...(engine.usesStyle === false
              ? { text: c.text ?? "", voice: voice.label }
              : { style: styles[k]! }),
          }),
        )
      : undefined;
    const cached = keys ? await deps.cache!.probe(keys) : undefined;
    const start: SynthStart = {
      v: 1,
      engine: engine.name,
      model: engine.model,
      model_version: engine.modelVersion,
      voice: voice.label,
      sample_rate: SAMPLE_RATE,
      worker: deps.instance,
      ...(cached ? { cached_chunks: cached.filter(Boolean).length } : {}),
    };
    session.accept(encodeJson(start));
    const t0 = performance.now();
    let inferenceMs = 0;
    let offset = req.resume?.offset ?? 0;
    const startOffset = offset;
    deps.onStreamStart?.();
    let playbackStart: number | undefined; // wall clock when this stream's first audio is ready
    let chunksDone = 0;
    let chunksCached = 0;

    // What the stream will ask of the engine next, for the scheduler to weigh new streams against.
    const plan: StreamPlan = { ahead: [], sentMs: 0 };
    /** Chunk `k`'s audio (s) and engine time (ms), as expected before it is made. */
    const estimate = (k: number) => ({
      expectedMs: cached?.[k] ? 0 : deps.pace.expectedMs(chunks[k]!.tokens.length),
      audioS: deps.pace.speechSeconds(chunks[k]!.tokens.length) / req.speed + chunks[k]!.pause_after_s,
    });
    /** The plan: chunks from `k` on, whose audio begins at sample `audioBefore`, up to the horizon. */
    const planFrom = (k: number, audioBefore: number) => {
      const estimates = [];
      let audioS = 0;
      for (let j = k; j < chunks.length && audioS * 1000 <= PLAN_HORIZON_MS; j++) {
        const e = estimate(j);
        estimates.push(e);
        audioS += e.audioS;
      }
      plan.ahead = planAhead(estimates, (audioBefore - startOffset) / SAMPLE_RATE, deps.justInTime);
    };

    /** Infer chunk `k`, whose audio begins at `audioBefore`, by its deadline (see chunkSchedule). */
    const infer = async (k: number, audioBefore: number): Promise<MadeChunk> => {
      const key = keys?.[k];
      if (key) {
        // Not queued while the cache is asked: until it is, the plan counts it.
        planFrom(k, audioBefore);
        // In the cache, or being inferred right now for another stream (then ready within that inference).
        const hit = (await deps.cache!.get(key)) ?? (await deps.cache!.running(key));
        const out = hit ? fromCache(hit) : await inferNow(k, audioBefore, key);
        if (out.cached) {
          chunksCached++;
          deps.onCacheServed?.();
        }
        return out;
      }
      return inferNow(k, audioBefore);
    };

    /** Infer it; with a cache `key`, streams that need the same chunk meanwhile get it too, and it is kept. */
    const inferNow = (k: number, audioBefore: number, key?: string): Promise<MadeChunk> => {
      const chunk = chunks[k]!;
      const isFirst = isFirstChunk(playbackStart);
      const expectedMs = deps.pace.expectedMs(chunk.tokens.length, isFirst);
      const { first, deadline, notBefore } = chunkSchedule({
        epochNow: Date.now(),
        playbackStart,
        audioBefore,
        startOffset,
        requestDeadline: req.deadline_ms,
        expectedMs,
        justInTime: deps.justInTime,
      });
      const style = styles[k]!;
      const queued = performance.now();
      const inferChunk = async (lane: Lane, mark: RunMark): Promise<MadeChunk> => {
        const hold = pauseFor(deps.testPause, req.request_id, chunk.index);
        if (hold > 0) await new Promise((r) => setTimeout(r, hold));
        const ti = performance.now();
        if (first) deps.onFirstChunkWait?.(ti - queued);
        const r = await engine.infer(
          { tokens: chunk.tokens, text: chunk.text, voice: voice.packs[0]?.name },
          style,
          req.speed,
          lane,
        );
        const tEnd = performance.now();
        const ms = tEnd - ti;
        inferenceMs += ms;
        // What the chunk cost the engine: a normal-lane chunk loses the cores to every first chunk that
        // runs meanwhile, and that time is the first chunks' cost, not this chunk's.
        const cost = Math.max(0.1 * ms, deps.scheduler.progressMs(mark, tEnd));
        deps.pace.observe(chunk.tokens.length, cost, isFirst);
        deps.onInference?.(ms, r.audio.length / engine.sampleRate);
        const shaped = shapeChunk(r.audio, chunk.pause_after_s, engine.sampleRate);
        deps.pace.observeSpeech(chunk.tokens.length, (shaped.speechSamples / engine.sampleRate) * req.speed);
        const late = Date.now() - deadline;
        if (!first && late > 0) {
          deps.onLate?.(late);
          log.debug("chunk ready after its stream's audio ran out", {
            chunk: chunk.index,
            late_ms: Math.round(late),
            lane,
            queued_ms: Math.round(ti - queued),
            inference_ms: Math.round(ms),
            expected_ms: Math.round(expectedMs),
          });
        }
        return { durations: r.durations, shaped, ms };
      };
      // Queued now: the plan is what comes after it.
      planFrom(k + 1, audioBefore + Math.round(estimate(k).audioS * SAMPLE_RATE));
      return deps.scheduler.run(
        deadline,
        session.signal,
        async (lane, mark) => {
          // Another stream may have made it while this one waited for a slot.
          const meanwhile = key ? deps.cache!.inMemory(key) : undefined;
          if (meanwhile) return fromCache(meanwhile);
          // Said only once it runs: a stream must not wait for a chunk still queued behind later deadlines.
          const made = key ? deps.cache!.inferring(key) : undefined;
          try {
            const out = await inferChunk(lane, mark);
            const kept = {
              pcm: out.shaped.pcm,
              trimStart: out.shaped.trimStart,
              speechSamples: out.shaped.speechSamples,
              ...(out.durations ? { durations: out.durations } : {}),
            };
            if (key) deps.cache!.store(key, kept);
            made?.(kept);
            return out;
          } catch (err) {
            made?.(undefined);
            throw err;
          }
        },
        { notBefore, first, expectedMs, plan },
      );
    };

    let pending: ReturnType<typeof infer> | undefined;
    const untrack = deps.scheduler.track(plan);
    try {
      pending = chunks.length ? infer(0, offset) : undefined;
      // awaited in the loop, unless the stream ends first: a cancellation must not surface as unhandled
      pending?.catch(() => {});
      for (let k = 0; k < chunks.length; k++) {
        if (session.signal.aborted) break;
        if (req.deadline_ms && Date.now() > req.deadline_ms)
          throw new AppError(
            504,
            "deadline_exceeded",
            "the request's deadline passed before synthesis finished",
          );
        const chunk = chunks[k]!;
        const { durations, shaped, ms: chunkMs, cached: fromCache } = await pending!;
        playbackStart ??= Date.now();
        plan.playbackStart = playbackStart;
        // One chunk ahead: the next inference runs (when it is due) while this chunk waits for the reader's credit.
        // Memory stays bounded: this chunk, the next, and the credit window.
        const audioAfter = offset + shaped.pcm.length;
        const next = k + 1 < chunks.length ? () => infer(k + 1, audioAfter) : undefined;
        pending = deps.lookahead ? next?.() : undefined;
        pending?.catch(() => {}); // awaited on the next turn; a cancellation must not surface as unhandled
        if (chunk.words?.length && durations) {
          const words: SynthWords = {
            v: 1,
            chunk: chunk.index,
            words: wordTimings(chunk.words, durations, {
              chunkOffset: offset,
              trimStart: shaped.trimStart,
              speechSamples: shaped.speechSamples,
              sampleRate: engine.sampleRate,
            }),
          };
          await session.send(encodeJson(words), wordsMessageHeaders(chunk.index));
        }
        // The stream's very first chunk leads with a short message (by chunk position, not by
        // session: a resumed stream must cut its messages exactly where the first try did).
        const parts = splitPcm(
          shaped.pcm,
          maxBytes,
          (req.resume?.chunk ?? 0) + k === 0 ? FIRST_MESSAGE_SAMPLES : undefined,
        );
        let partOffset = offset;
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i]!;
          const last = i === parts.length - 1;
          await session.send(
            new Uint8Array(part.buffer, part.byteOffset, part.byteLength),
            audioMessageHeaders({
              chunk: chunk.index,
              offset: partOffset,
              samples: part.length,
              sampleRate: engine.sampleRate,
              chunkEnd: last,
              // What the chunk cost here: the gateway learns from it when a later chunk is overdue (hedging).
              // (not for a chunk from the cache: it cost nothing, and says nothing of what the next will cost)
              ...(last && !fromCache ? { inferenceMs: chunkMs } : {}),
            }),
          );
          partOffset += part.length;
          plan.sentMs = ((partOffset - startOffset) / SAMPLE_RATE) * 1000;
        }
        offset += shaped.pcm.length;
        chunksDone++;
        if (!deps.lookahead && next && !session.signal.aborted) {
          pending = next();
          pending.catch(() => {}); // as above
        }
      }
      const end: SynthEnd = {
        v: 1,
        chunks: chunksDone,
        samples: offset,
        duration_s: offset / SAMPLE_RATE,
        inference_ms: Math.round(inferenceMs),
        ...(keys ? { cached_chunks: chunksCached } : {}),
      };
      log.debug("stream done", {
        chunks: chunksDone,
        audio_s: end.duration_s,
        inference_ms: end.inference_ms,
        cached_chunks: end.cached_chunks,
        wall_ms: Math.round(performance.now() - t0),
      });
      return { data: encodeJson(end), headers: endMessageHeaders() };
    } finally {
      untrack();
      deps.onStreamEnd?.();
    }
  };
}
