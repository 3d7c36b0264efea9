/** Timeline: cue blocks over the waveform of the rendered audio, time markers and the play head. Click or arrow keys seek. */
import { useEffect, useRef } from "preact/hooks";
import type { Cue } from "./model";

/** Peaks at 200 per second, computed once per rendered clip: redraws then cost pixels, not samples. */
const PEAKS_PER_S = 200;
const peakCache = new WeakMap<Float32Array, Float32Array>();
function peaksOf(pcm: Float32Array): Float32Array {
  let p = peakCache.get(pcm);
  if (!p) {
    const per = 24_000 / PEAKS_PER_S;
    p = new Float32Array(Math.ceil(pcm.length / per));
    for (let i = 0; i < p.length; i++) {
      let peak = 0;
      const end = Math.min(pcm.length, (i + 1) * per);
      for (let j = i * per; j < end; j += 2) peak = Math.max(peak, Math.abs(pcm[j]!));
      p[i] = peak;
    }
    peakCache.set(pcm, p);
  }
  return p;
}

export function Timeline(props: {
  cues: Cue[];
  duration: number;
  time: number;
  current: string;
  pcmOf: (c: Cue) => Float32Array | undefined;
  onSeek: (t: number) => void;
  version: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const dur = Math.max(1, props.duration);
  useEffect(() => {
    const cv = canvas.current;
    if (!cv) return;
    const w = (cv.width = cv.clientWidth * devicePixelRatio);
    const h = (cv.height = cv.clientHeight * devicePixelRatio);
    const g = cv.getContext("2d");
    if (!g) return;
    const css = getComputedStyle(cv);
    const x = (t: number) => (t / dur) * w;
    g.clearRect(0, 0, w, h);
    // Time markers: about ten, at round seconds.
    const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((s) => dur / s <= 12) ?? 1200;
    g.fillStyle = css.getPropertyValue("--muted") || "#888";
    g.font = `${10 * devicePixelRatio}px sans-serif`;
    for (let t = 0; t <= dur; t += step) {
      g.fillRect(x(t), 0, 1, 6 * devicePixelRatio);
      g.fillText(
        `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`,
        x(t) + 2,
        14 * devicePixelRatio,
      );
    }
    const top = 18 * devicePixelRatio;
    const bh = h - top - 2;
    // Only draw what is visible at this width: cues narrower than a pixel are merged by the canvas.
    const accent = css.getPropertyValue("--accent") || "#36c";
    const block = css.getPropertyValue("--block") || "#9ab";
    const wave = css.getPropertyValue("--wave") || "#246";
    // Blocks first (one fill style, translucent), then the waveforms on top.
    g.globalAlpha = 0.35;
    g.fillStyle = block;
    let lastEnd = -1;
    for (const c of props.cues) {
      const x0 = Math.floor(x(c.start_s));
      const x1 = Math.max(x0 + 1, Math.ceil(x(c.end_s)));
      if (x1 <= lastEnd) continue; // wholly under the block before it at this zoom
      g.fillRect(Math.max(x0, lastEnd), top, x1 - Math.max(x0, lastEnd), bh);
      lastEnd = x1;
    }
    const cur = props.cues.find((c) => c.id === props.current);
    if (cur) {
      g.fillStyle = accent;
      g.fillRect(x(cur.start_s), top, Math.max(1, x(cur.end_s) - x(cur.start_s)), bh);
    }
    g.globalAlpha = 1;
    g.fillStyle = wave;
    for (const c of props.cues) {
      const x0 = x(c.start_s);
      const pcm = props.pcmOf(c);
      if (!pcm) continue;
      const peaks = peaksOf(pcm);
      const px = Math.max(1, Math.round((pcm.length / 24_000 / dur) * w));
      const per = peaks.length / px;
      for (let i = 0; i < px; i++) {
        let peak = 0;
        const j0 = Math.floor(i * per);
        const j1 = Math.min(peaks.length, Math.max(j0 + 1, Math.floor((i + 1) * per)));
        for (let j = j0; j < j1; j++) peak = Math.max(peak, peaks[j]!);
        const ph = peak * bh;
        g.fillRect(x0 + i, top + (bh - ph) / 2, 1, Math.max(1, ph));
      }
    }
  }, [props.cues, props.version, props.current, dur]);
  return (
    <div class="timeline">
      <canvas
        ref={canvas}
        aria-label="Timeline: cue blocks over the waveform; click or use the arrow keys to seek"
        role="slider"
        tabIndex={0}
        aria-valuemin={0}
        aria-valuemax={Math.round(dur)}
        aria-valuenow={Math.round(props.time)}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          props.onSeek(((e.clientX - r.left) / r.width) * dur);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowRight") props.onSeek(Math.min(dur, props.time + 1));
          if (e.key === "ArrowLeft") props.onSeek(Math.max(0, props.time - 1));
        }}
      />
      <div class="playhead" style={{ left: `${(props.time / dur) * 100}%` }} />
    </div>
  );
}
