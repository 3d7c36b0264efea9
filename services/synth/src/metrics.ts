import { Histogram, MetricFamily, renderMetrics } from "@kokoro-edge/runtime";
import type { DeadlineScheduler } from "./scheduler";

/** A synth worker's /metrics: inference time, real-time factor, queue, streams. */
export class SynthMetrics {
  activeStreams = 0;
  inferences = 0;
  private readonly inferenceSeconds = new Histogram("kokoro_synth_inference_seconds", "Time to infer one chunk.", [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8]);
  private readonly audioSeconds = new MetricFamily("kokoro_synth_audio_seconds_total", "Audio produced.", "counter");
  private readonly count = new MetricFamily("kokoro_synth_inferences_total", "Chunks inferred by this worker.", "counter");
  private readonly queue = new MetricFamily("kokoro_synth_queue_depth", "Chunks waiting for the engine.", "gauge");
  private readonly streams = new MetricFamily("kokoro_synth_active_streams", "Streams in progress.", "gauge");
  private readonly firstChunkWait = new Histogram("kokoro_synth_first_chunk_wait_seconds", "Time a new stream's first chunk waited for the engine.", [0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8]);
  private readonly lateChunks = new MetricFamily("kokoro_synth_late_chunks_total", "Later chunks ready only after their stream's audio had run out (the listener heard a gap).", "counter");
  private readonly underrun = new MetricFamily("kokoro_synth_underrun_seconds_total", "How long streams' audio had run out before their late chunks were ready.", "counter");
  private readonly collections = new MetricFamily("kokoro_synth_idle_collections_total", "Garbage collections run while the worker was idle.", "counter");
  idleCollections = 0;

  constructor(private readonly scheduler: DeadlineScheduler) {
    // Exported as 0 from the start, so an alert on their rate has a series before the first miss.
    this.lateChunks.inc({}, 0);
    this.underrun.inc({}, 0);
  }

  observeInference(ms: number, audioS: number) {
    this.inferences++;
    this.count.inc();
    this.inferenceSeconds.observe(ms / 1000);
    this.audioSeconds.inc({}, audioS);
  }

  observeFirstChunkWait(ms: number) {
    this.firstChunkWait.observe(ms / 1000);
  }

  /** A later chunk was ready `lateMs` after its deadline (its stream's audio ran out). */
  observeLate(lateMs: number) {
    this.lateChunks.inc();
    this.underrun.inc({}, lateMs / 1000);
  }

  observeIdleCollection() {
    this.idleCollections++;
    this.collections.inc();
  }

  render(): string {
    this.queue.set({}, this.scheduler.depth);
    this.streams.set({}, this.activeStreams);
    return renderMetrics([this.count, this.inferenceSeconds, this.audioSeconds, this.firstChunkWait, this.lateChunks, this.underrun, this.queue, this.streams, this.collections]);
  }
}
