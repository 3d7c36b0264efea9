/**
 * The timeline as a stream: PCM chunks in order as the cues are made, so the
 * gateway can send the track while it is rendered. Backpressure: rendering
 * waits while the consumer has not taken the previous chunk, so memory stays
 * bounded (the cues in flight plus one held cue). Stopping the iteration early
 * aborts the render.
 */
import { OrderedPcmWriter } from "./sinks";
import { renderTimeline, type RenderOptions, type TimelineReport } from "./timeline";

export type StreamTimelineOptions = Omit<RenderOptions, "sink">;

export async function* streamTimeline(
  o: StreamTimelineOptions,
): AsyncGenerator<Int16Array, TimelineReport, undefined> {
  const ctrl = new AbortController();
  const onOuterAbort = () => ctrl.abort(o.signal?.reason);
  if (o.signal?.aborted) ctrl.abort(o.signal.reason);
  o.signal?.addEventListener("abort", onOuterAbort, { once: true });

  // A one-slot channel between the renderer (producer) and this generator.
  let slot: Int16Array | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const poke = () => {
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };
  const writer = new OrderedPcmWriter(
    async (chunk) => {
      while (slot !== undefined) {
        if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error("aborted");
        await new Promise<void>((r) => (wakeProducer = r));
      }
      if (ctrl.signal.aborted) throw ctrl.signal.reason ?? new Error("aborted");
      slot = chunk;
      poke();
    },
    { startSample: o.resume?.startSample ?? 0 },
  );
  ctrl.signal.addEventListener("abort", () => {
    const w = wakeProducer;
    wakeProducer = undefined;
    w?.();
  });

  let done = false;
  let failed: { err: unknown } | undefined;
  let report: TimelineReport | undefined;
  const run = renderTimeline({ ...o, sink: writer, signal: ctrl.signal }).then(
    (r) => {
      report = r;
      done = true;
      poke();
    },
    (err) => {
      failed = { err };
      done = true;
      poke();
    },
  );

  try {
    for (;;) {
      if (slot !== undefined) {
        const chunk = slot;
        slot = undefined;
        const w = wakeProducer;
        wakeProducer = undefined;
        w?.();
        yield chunk;
        continue;
      }
      if (done) break;
      await new Promise<void>((r) => (wakeConsumer = r));
    }
    await run;
    if (failed) throw failed.err;
    return report!;
  } finally {
    if (!done) ctrl.abort(new Error("timeline stream closed before the end"));
    o.signal?.removeEventListener("abort", onOuterAbort);
    await run;
  }
}
