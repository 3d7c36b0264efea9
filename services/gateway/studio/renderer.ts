/**
 * Background rendering, one request per cue. A cue's audio is kept under the
 * key (voice, speed, text) and the model version it was made with, so a cue is
 * rendered once and reused until one of those changes: editing one cue
 * re-renders that cue only. Two requests at a time; results feed the player.
 */
import { speakPcm } from "./api";

export type RenderState =
  | { status: "queued" | "rendering" }
  | { status: "done"; pcm: Float32Array; seconds: number }
  | { status: "error"; message: string };

export const renderKey = (voice: string, speed: number, text: string) =>
  `${voice}\u0000${speed}\u0000${text}`;

export class Renderer {
  private readonly cache = new Map<string, RenderState>();
  private readonly queue: { key: string; voice: string; speed: number; text: string }[] = [];
  private running = 0;
  modelVersion = "";
  /** Requests sent (tests and the status line read it). */
  requests = 0;
  constructor(
    private readonly onChange: () => void,
    private readonly concurrency = 2,
  ) {}

  get(key: string): RenderState | undefined {
    return this.cache.get(key);
  }

  /** Make sure these cues are (being) rendered, in this order: queued ones move up to it. */
  want(items: { voice: string; speed: number; text: string }[]) {
    let added = false;
    const order = new Map<string, number>();
    for (const it of items) {
      if (!it.text.trim()) continue;
      const key = renderKey(it.voice, it.speed, it.text);
      if (!order.has(key)) order.set(key, order.size);
      if (this.cache.has(key)) continue;
      this.cache.set(key, { status: "queued" });
      this.queue.push({ key, ...it });
      added = true;
    }
    // The queue follows the latest wish (e.g. from the play head on).
    this.queue.sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
    if (added) this.onChange();
    this.pump();
  }

  /**
   * Keep memory bounded while editing: when the cache holds many more renders
   * than the document uses, forget the oldest unused ones. Recent versions stay,
   * so undo and redo find their audio without a new request.
   */
  retain(keys: Set<string>, spare = 200) {
    let excess = this.cache.size - keys.size - spare;
    if (excess <= 0) return;
    for (const [k, v] of this.cache) {
      if (excess <= 0) break;
      if (!keys.has(k) && v.status !== "rendering" && v.status !== "queued") {
        this.cache.delete(k);
        excess--;
      }
    }
  }

  private pump() {
    while (this.running < this.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      if (this.cache.get(job.key)?.status !== "queued") continue;
      this.running++;
      this.cache.set(job.key, { status: "rendering" });
      this.requests++;
      this.onChange();
      speakPcm(job.text, job.voice, job.speed, undefined)
        .then(({ pcm, modelVersion }) => {
          if (this.modelVersion && modelVersion && modelVersion !== this.modelVersion) {
            // A new model: every other render is stale and will be made again.
            this.cache.clear();
          }
          this.modelVersion = modelVersion || this.modelVersion;
          this.cache.set(job.key, { status: "done", pcm, seconds: pcm.length / 24_000 });
        })
        .catch((err) => this.cache.set(job.key, { status: "error", message: (err as Error).message }))
        .finally(() => {
          this.running--;
          this.onChange();
          this.pump();
        });
    }
  }
}
