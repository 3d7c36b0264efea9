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
  private readonly collections = new MetricFamily("kokoro_synth_idle_collections_total", "Garbage collections run while the worker was idle.", "counter");
  idleCollections = 0;

  constructor(private readonly scheduler: DeadlineScheduler) {}

  observeInference(ms: number, audioS: number) {
    this.inferences++;
    this.count.inc();
    this.inferenceSeconds.observe(ms / 1000);
    this.audioSeconds.inc({}, audioS);
  }

  observeIdleCollection() {
    this.idleCollections++;
    this.collections.inc();
  }

  render(): string {
    this.queue.set({}, this.scheduler.depth);
    this.streams.set({}, this.activeStreams);
    return renderMetrics([this.count, this.inferenceSeconds, this.audioSeconds, this.queue, this.streams, this.collections]);
  }
}
