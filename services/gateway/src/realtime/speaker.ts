/**
 * The realtime sockets' engine, the same for every protocol: text pieces go
 * into the segmenter; each complete phrase is sent to g2p at once (so later
 * phrases are ready before the one playing ends: playback never waits on
 * segmentation) and queued; one phrase at a time is synthesised through
 * `synthesize()`, the same stream (scheduler, credit, failover to another
 * replica) that /v1/audio/speech uses. Audio goes to the sink, which may
 * make the speaker wait (a slow client's backpressure reaches the synth
 * worker through the stream's credit).
 *
 * Markers (Flush, end of input) sit in the same queue, so "Flushed" is sent
 * after the audio before it. `clear()` (barge-in) drops the buffered text,
 * the queue and the phrase being spoken: no audio of the old turn reaches
 * the sink after it returns.
 */
import { SAMPLE_RATE, type SynthChunk, type SynthStart, type WordTiming } from "@kokoro-edge/proto";
import type { Bus, Logger } from "@kokoro-edge/runtime";
import { phonemize } from "../pipeline/g2p-client";
import { synthChunks } from "../pipeline/plan";
import { synthesize, type SynthesizeOptions } from "../pipeline/synth-client";
import { SEGMENTER_DEFAULTS, Segmenter, type SegmenterOptions } from "./segmenter";

export interface SpeakerSink {
  /** The first synth stream of the connection started (engine, model, voice). */
  started?(info: SynthStart): void;
  /** 24 kHz audio of the current turn; the speaker waits for the promise (backpressure). */
  audio(pcm: Int16Array): void | Promise<void>;
  /** Word timings, in seconds from the start of the turn; offsets into the turn's text. */
  words?(words: WordTiming[]): void;
  /** A phrase could not be spoken; the connection goes on with the next one. */
  error(err: unknown): void;
  /** Time from a turn's first phrase being complete to its first audio, in ms. */
  firstAudio?(ms: number): void;
}

export interface SpeakerOptions {
  bus: Bus;
  log: Logger;
  voice: string;
  speed: number;
  language?: string;
  requestId: string;
  /** The synth stream's options, as every route gets them (credit, failover, heartbeats, hedging). */
  stream: Omit<SynthesizeOptions, "log" | "signal">;
  /** Buffered text is spoken after this long without new text; 0 = never. */
  idleFlushMs: number;
  segmenter?: SegmenterOptions;
}

type Item =
  | { kind: "phrase"; text: string; textStart: number; readyAt: number; chunks: Promise<SynthChunk[]> }
  | { kind: "mark"; run: () => void };

export class Speaker {
  private readonly segmenter: Segmenter;
  private readonly queue: Item[] = [];
  private running = false;
  private gen = 0;
  private current?: AbortController;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private closed = false;
  private startedOnce = false;
  /** The turn: characters taken in, samples sent, whether its first audio was timed. */
  private turnChars = 0;
  private turnSamples = 0;
  private turnTimed = false;
  private phrases = 0;

  constructor(
    private readonly opts: SpeakerOptions,
    private readonly sink: SpeakerSink,
  ) {
    this.segmenter = new Segmenter(opts.segmenter ?? SEGMENTER_DEFAULTS);
  }

  /** Whether audio is queued or playing. */
  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Text still buffered (not yet a phrase). */
  get pendingText(): string {
    return this.segmenter.pending;
  }

  /** A piece of text: complete phrases are queued now, the rest waits for more (or the idle flush). */
  text(piece: string): void {
    if (this.closed) return;
    for (const phrase of this.segmenter.push(piece)) this.enqueue(phrase);
    this.armIdle();
  }

  /** Speak everything buffered; `done` runs once the audio before it has been handed to the sink. */
  flush(done?: () => void): void {
    if (this.closed) return;
    this.disarmIdle();
    const rest = this.segmenter.flush();
    if (rest) this.enqueue(rest);
    this.queue.push({
      kind: "mark",
      run: () => {
        this.endTurn();
        done?.();
      },
    });
    this.pump();
  }

  /** Barge-in: drop buffered text, queued phrases and the phrase being spoken. */
  clear(): void {
    this.gen++;
    this.disarmIdle();
    this.segmenter.clear();
    this.queue.length = 0;
    this.current?.abort(new Error("cleared"));
    this.current = undefined;
    this.endTurn();
  }

  /** The connection is gone: stop everything. */
  close(): void {
    this.clear();
    this.closed = true;
  }

  private endTurn() {
    this.turnChars = 0;
    this.turnSamples = 0;
    this.turnTimed = false;
  }

  private armIdle() {
    this.disarmIdle();
    if (this.opts.idleFlushMs <= 0 || !this.segmenter.pending.trim()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const rest = this.segmenter.flush();
      if (rest) this.enqueue(rest);
    }, this.opts.idleFlushMs);
  }

  private disarmIdle() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private enqueue(text: string) {
    const textStart = this.turnChars;
    this.turnChars += text.length;
    // g2p starts now, while earlier phrases are still being spoken.
    const chunks = phonemize(this.opts.bus, {
      text,
      voice: this.opts.voice,
      language: this.opts.language,
    }).then(synthChunks);
    chunks.catch(() => {}); // read (and reported) by the pump
    this.queue.push({ kind: "phrase", text, textStart, readyAt: performance.now(), chunks });
    this.pump();
  }

  private pump() {
    if (this.running) return;
    this.running = true;
    void this.run()
      .catch((err) => this.opts.log.error("realtime speaker failed", { error: (err as Error).message }))
      .finally(() => {
        this.running = false;
        if (this.queue.length && !this.closed) this.pump();
      });
  }

  private async run() {
    while (this.queue.length) {
      const item = this.queue.shift()!;
      if (item.kind === "mark") {
        item.run();
        continue;
      }
      const gen = this.gen;
      try {
        await this.speak(item, gen);
      } catch (err) {
        if (gen === this.gen && !this.closed) this.sink.error(err);
      }
    }
  }

  private async speak(item: Extract<Item, { kind: "phrase" }>, gen: number) {
    const chunks = await item.chunks;
    if (gen !== this.gen || chunks.length === 0) return;
    const abort = new AbortController();
    this.current = abort;
    const phraseStartS = this.turnSamples / SAMPLE_RATE;
    const events = synthesize(
      this.opts.bus,
      {
        v: 1,
        request_id: `${this.opts.requestId}.${this.phrases++}`,
        voice: this.opts.voice,
        speed: this.opts.speed,
        chunks,
      },
      { ...this.opts.stream, signal: abort.signal, log: this.opts.log },
    );
    try {
      for await (const ev of events) {
        if (gen !== this.gen) return;
        if (ev.type === "start" && !this.startedOnce) {
          this.startedOnce = true;
          this.sink.started?.(ev.info);
        } else if (ev.type === "audio") {
          if (!this.turnTimed) {
            this.turnTimed = true;
            this.sink.firstAudio?.(performance.now() - item.readyAt);
          }
          this.turnSamples += ev.pcm.length;
          await this.sink.audio(ev.pcm);
        } else if (ev.type === "words") {
          this.sink.words?.(
            ev.words.words.map((w) => ({
              ...w,
              start: w.start + item.textStart,
              end: w.end + item.textStart,
              start_s: w.start_s + phraseStartS,
              end_s: w.end_s + phraseStartS,
            })),
          );
        }
      }
    } finally {
      if (this.current === abort) this.current = undefined;
    }
  }
}
