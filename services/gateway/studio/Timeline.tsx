/** Timeline: cue blocks over the waveform of the rendered audio, time markers and the play head. Click or arrow keys seek. */
import { useEffect, useRef } from "preact/hooks";
import type { Cue } from "./model";

export function Timeline(props: { cues: Cue[]; duration: number; time: number; current: string; pcmOf: (c: Cue) => Float32Array | undefined; onSeek: (t: number) => void; version: number }) {
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
      g.fillText(`${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`, x(t) + 2, 14 * devicePixelRatio);
    }
    const top = 18 * devicePixelRatio;
    const bh = h - top - 2;
    // Only draw what is visible at this width: cues narrower than a pixel are merged by the canvas.
    for (const c of props.cues) {
      const x0 = x(c.start_s);
      const x1 = Math.max(x0 + 1, x(c.end_s));
      g.fillStyle = c.id === props.current ? css.getPropertyValue("--accent") || "#36c" : css.getPropertyValue("--block") || "#9ab";
      g.globalAlpha = 0.35;
      g.fillRect(x0, top, x1 - x0, bh);
      g.globalAlpha = 1;
      const pcm = props.pcmOf(c);
      if (!pcm) continue;
      g.fillStyle = css.getPropertyValue("--wave") || "#246";
      const px = Math.max(1, Math.round(((pcm.length / 24_000) / dur) * w));
      const per = Math.max(1, Math.floor(pcm.length / px));
      for (let i = 0; i < px; i++) {
        let peak = 0;
        for (let j = i * per; j < Math.min(pcm.length, (i + 1) * per); j += 4) peak = Math.max(peak, Math.abs(pcm[j]!));
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
