/**
 * Playback with Web Audio: every rendered cue is an AudioBuffer scheduled at
 * its start time on one AudioContext clock, so play/seek is immediate for
 * rendered audio. The position is derived from the context clock.
 */
export class Player {
  private ctx: AudioContext | undefined;
  private sources: AudioBufferSourceNode[] = [];
  private startedAt = 0;
  private offset = 0;
  playing = false;
  /** performance.now() when the first sound was scheduled after the last play() (tests read it). */
  lastStartLatencyMs = 0;

  context(): AudioContext {
    this.ctx ??= new AudioContext({ sampleRate: 24_000, latencyHint: "interactive" });
    if (this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
    return this.ctx;
  }

  get time(): number {
    return this.playing && this.ctx ? this.offset + (this.ctx.currentTime - this.startedAt) : this.offset;
  }

  private scheduled = new WeakSet<Float32Array>();
  /** Clips scheduled since the last play() (tests read it). */
  clipsScheduled = 0;

  play(from: number, clips: { start_s: number; pcm: Float32Array }[]) {
    const t0 = performance.now();
    this.stopSources();
    const ctx = this.context();
    this.offset = from;
    this.startedAt = ctx.currentTime + 0.02;
    this.scheduled = new WeakSet();
    this.clipsScheduled = 0;
    this.playing = true;
    this.add(clips);
    this.lastStartLatencyMs = performance.now() - t0 + 20;
  }

  /**
   * While playing, schedule clips that were rendered after play() (the track
   * plays as it renders); a clip whose start has passed begins part-way in.
   */
  add(clips: { start_s: number; pcm: Float32Array }[]) {
    if (!this.playing || !this.ctx) return;
    const ctx = this.ctx;
    const from = this.offset;
    for (const c of clips) {
      if (this.scheduled.has(c.pcm)) continue;
      const dur = c.pcm.length / 24_000;
      const now = this.time + 0.01;
      if (c.start_s + dur <= Math.max(from, now)) continue;
      this.scheduled.add(c.pcm);
      this.clipsScheduled++;
      const buf = ctx.createBuffer(1, c.pcm.length, 24_000);
      buf.copyToChannel(c.pcm as Float32Array<ArrayBuffer>, 0);
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.connect(ctx.destination);
      // Where the clip's start falls on the context clock; if that has passed, start now, part-way in.
      const at = this.startedAt + (c.start_s - from);
      const late = Math.max(0, ctx.currentTime + 0.01 - at);
      src.start(at + late, late);
      this.sources.push(src);
    }
  }

  pause() {
    this.offset = this.time;
    this.stopSources();
    this.playing = false;
  }

  seek(t: number) {
    this.offset = Math.max(0, t);
  }

  private stopSources() {
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        /* not started */
      }
    }
    this.sources = [];
  }

  /** Play streamed chunks back to back (voice preview). Returns when the first is scheduled. */
  streamer() {
    const ctx = this.context();
    let at = ctx.currentTime + 0.03;
    let first = true;
    return (f: Float32Array) => {
      if (!f.length) return;
      const buf = ctx.createBuffer(1, f.length, 24_000);
      buf.copyToChannel(f as Float32Array<ArrayBuffer>, 0);
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.connect(ctx.destination);
      at = Math.max(at, ctx.currentTime + (first ? 0.01 : 0));
      first = false;
      src.start(at);
      at += buf.duration;
    };
  }
}
