/**
 * The messages of a synthesis stream between a synth worker and its consumer, built and read here
 * only, so the two services cannot drift apart.
 *
 * Every message names its kind in the `ke-type` header:
 * - `words`: JSON `SynthWords` (the chunk's word timings), before the chunk's audio;
 * - `audio`: raw PCM (s16le mono) as the payload, never JSON; the headers below say where it goes.
 *   A chunk's audio may come in several messages; the last one carries `ke-chunk-end: 1` and what
 *   inferring the chunk took on that replica (the consumer learns from it when a chunk is overdue);
 * - `end`: JSON `SynthEnd`, the stream's end message.
 * Header values are strings on the wire; the schema coerces them back.
 */
import { z } from "zod";

const TYPE = "ke-type";

export const SynthMessageType = z.enum(["audio", "words", "end"]);
export type SynthMessageType = z.infer<typeof SynthMessageType>;

/** What an audio message says about its samples. */
export interface AudioMessage {
  /** The chunk the samples belong to. */
  chunk: number;
  /** Sample offset of the message's first sample from the start of the stream. */
  offset: number;
  samples: number;
  sampleRate: number;
  /** The chunk's last audio message. */
  chunkEnd: boolean;
  /** On a chunk's last message: what inferring the chunk took on this replica (ms). */
  inferenceMs?: number;
}

const AudioHeaders = z.object({
  [TYPE]: z.literal("audio"),
  "ke-chunk": z.coerce.number().int().nonnegative(),
  "ke-offset": z.coerce.number().int().nonnegative(),
  "ke-samples": z.coerce.number().int().nonnegative(),
  "ke-rate": z.coerce.number().int().positive(),
  "ke-format": z.literal("s16le"),
  "ke-chunk-end": z.enum(["0", "1"]),
  "ke-inference-ms": z.coerce.number().nonnegative().optional(),
});

type Headers = Record<string, string>;

export function audioMessageHeaders(m: AudioMessage): Headers {
  const h: Headers = {
    [TYPE]: "audio",
    "ke-chunk": String(m.chunk),
    "ke-offset": String(m.offset),
    "ke-samples": String(m.samples),
    "ke-rate": String(m.sampleRate),
    "ke-format": "s16le",
    "ke-chunk-end": m.chunkEnd ? "1" : "0",
  };
  if (m.inferenceMs !== undefined) h["ke-inference-ms"] = String(Math.round(m.inferenceMs));
  return h;
}

export const wordsMessageHeaders = (chunk: number): Headers => ({
  [TYPE]: "words",
  "ke-chunk": String(chunk),
});
export const endMessageHeaders = (): Headers => ({ [TYPE]: "end" });

/** The kind of a message, or undefined for a kind this version does not know (skipped, for forward compatibility). */
export function synthMessageType(headers: Headers): SynthMessageType | undefined {
  const t = SynthMessageType.safeParse(headers[TYPE]);
  return t.success ? t.data : undefined;
}

/** An audio message's headers, checked; throws a zod error naming the bad header. */
export function readAudioMessage(headers: Headers): AudioMessage {
  const h = AudioHeaders.parse(headers);
  return {
    chunk: h["ke-chunk"],
    offset: h["ke-offset"],
    samples: h["ke-samples"],
    sampleRate: h["ke-rate"],
    chunkEnd: h["ke-chunk-end"] === "1",
    ...(h["ke-inference-ms"] !== undefined ? { inferenceMs: h["ke-inference-ms"] } : {}),
  };
}
