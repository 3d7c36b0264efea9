/** Export, projects and status panels: each talks to the public API only. */
import { useEffect, useState } from "preact/hooks";
import { api, apiKey, type Job, type ProjectSummary } from "./api";
import { type StudioDoc, toRenderVtt } from "./model";

const AUDIO = ["wav", "mp3", "opus", "flac", "m4a"] as const;
const EXT: Record<string, string> = { wav: "wav", mp3: "mp3", opus: "ogg", flac: "flac", m4a: "m4a" };

function download(blob: Blob, name: string) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

const authHeaders = (): Record<string, string> => (apiKey() ? { authorization: `Bearer ${apiKey()}` } : {});

/**
 * Export runs as a job on the server (POST /v1/audio/subtitles with async):
 * progress comes from the job, the audio and the re-timed subtitles from its
 * files, so a long export survives a slow connection and shows progress.
 */
export function ExportPanel(props: { doc: StudioDoc; name: string }) {
  const [format, setFormat] = useState<string>("wav");
  const [state, setState] = useState("");
  const [progress, setProgress] = useState(0);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<string>("");

  const run = async () => {
    setBusy(true);
    setProgress(0);
    setState("starting…");
    try {
      const { document, speakers } = toRenderVtt(props.doc);
      const job = await api<Job>("/v1/audio/subtitles", {
        method: "POST",
        body: JSON.stringify({
          document,
          format: "vtt",
          speakers,
          voice: props.doc.voice,
          speed: props.doc.speed,
          response_format: format === "m4a" ? "wav" : format,
          async: true,
        }),
      });
      let j = job;
      while (j.status === "queued" || j.status === "running") {
        const total = j.progress?.cues_total ?? props.doc.cues.length;
        setProgress(total ? (j.progress?.cues_done ?? 0) / total : 0);
        setState(`${j.status}: ${j.progress?.cues_done ?? 0} of ${total} cues`);
        await new Promise((r) => setTimeout(r, 400));
        j = await api<Job>(`/v1/jobs/${job.id}?cues=false`);
      }
      if (j.status !== "succeeded") throw new Error(j.error?.message ?? `export ${j.status}`);
      // M4A is made from the job's WAV by the server's ffmpeg; without it the server says so.
      const res = await fetch(`/v1/jobs/${job.id}/audio${format === "m4a" ? "?format=m4a" : ""}`, {
        headers: authHeaders(),
      });
      if (!res.ok) {
        const msg = await res.json().then(
          (b) => b.error?.message,
          () => undefined,
        );
        throw new Error(msg ?? `download failed: ${res.status}`);
      }
      download(await res.blob(), `${props.name}.${EXT[format]}`);
      setLast(job.id);
      setProgress(1);
      setState(`done: ${props.name}.${EXT[format]}`);
    } catch (err) {
      setState(`export failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const subtitles = async (kind: "srt" | "vtt") => {
    const res = await fetch(`/v1/jobs/${last}/subtitles?format=${kind}`, { headers: authHeaders() });
    if (!res.ok) return setState(`re-timed ${kind} failed: ${res.status}`);
    download(await res.blob(), `${props.name}.${kind}`);
  };

  return (
    <div class="export">
      <div class="row wrap">
        <label>
          Format{" "}
          <select
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value)}
            aria-label="Export format"
          >
            {AUDIO.map((f) => (
              <option value={f}>{f.toUpperCase()}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={run} disabled={busy}>
          Export audio
        </button>
        <button type="button" onClick={() => subtitles("srt")} disabled={!last || busy}>
          Re-timed SRT
        </button>
        <button type="button" onClick={() => subtitles("vtt")} disabled={!last || busy}>
          Re-timed VTT
        </button>
      </div>
      <p class="small-print">M4A (AAC) is made by the server's ffmpeg; a server without ffmpeg says so.</p>
      <progress max={1} value={progress} aria-label="Export progress" />
      <p class="status-line" role="status" data-export-state={state}>
        {state}
      </p>
    </div>
  );
}

export function ProjectsPanel(props: {
  currentId: string;
  onOpen: (id: string) => void;
  onDeleted: (id: string) => void;
  onSave: (name: string) => Promise<void>;
  refresh: number;
  name: string;
}) {
  const [list, setList] = useState<ProjectSummary[]>([]);
  const [error, setError] = useState("");
  const [name, setName] = useState(props.name);
  useEffect(() => setName(props.name), [props.name]);
  const load = () =>
    api<{ data: ProjectSummary[] }>("/v1/projects")
      .then((r) => {
        setList(r.data);
        setError("");
      })
      .catch((e) => setError((e as Error).message));
  useEffect(() => void load(), [props.refresh]);
  return (
    <div class="projects">
      <div class="row wrap">
        <label>
          Project name{" "}
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} aria-label="Project name" />
        </label>
        <button
          type="button"
          onClick={() => props.onSave(name).then(load, (e) => setError((e as Error).message))}
        >
          Save project
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="project-list" aria-label="Saved projects">
        {list.map((p) => (
          <li data-project={p.id} class={p.id === props.currentId ? "selected" : ""}>
            <button type="button" onClick={() => props.onOpen(p.id)}>
              {p.name}
            </button>{" "}
            <small>
              {p.cue_count} cues, {new Date(p.updated_at).toLocaleString()}
            </small>{" "}
            <button
              type="button"
              class="small"
              aria-label={`Rename ${p.name}`}
              onClick={() => {
                const n = prompt("New name", p.name);
                if (n?.trim())
                  api(`/v1/projects/${p.id}`, {
                    method: "PATCH",
                    body: JSON.stringify({ name: n.trim() }),
                  }).then(load, (e) => setError((e as Error).message));
              }}
            >
              Rename
            </button>{" "}
            <button
              type="button"
              class="small"
              aria-label={`Delete ${p.name}`}
              onClick={() => {
                if (confirm(`Delete ${p.name}?`))
                  api(`/v1/projects/${p.id}`, { method: "DELETE" }).then(
                    () => {
                      props.onDeleted(p.id);
                      return load();
                    },
                    (e) => setError((e as Error).message),
                  );
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Reads the gateway's Prometheus text: one sample per metric name (summed over labels). */
export function metricValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/);
    if (!m) continue;
    const v = Number(m[3]);
    if (Number.isFinite(v)) out[m[1]!] = (out[m[1]!] ?? 0) + v;
  }
  return out;
}

export function StatusPanel(props: { modelVersion: string }) {
  const [hist, setHist] = useState<{ ttfa: number; rtf: number; queue: number }[]>([]);
  const [now, setNow] = useState<Record<string, number>>({});
  const [ready, setReady] = useState("");
  useEffect(() => {
    let stop = false;
    let prev: Record<string, number> | undefined;
    const tick = async () => {
      try {
        const [m, r] = await Promise.all([
          fetch("/metrics").then((x) => x.text()),
          fetch("/readyz").then((x) => x.json()),
        ]);
        const v = metricValues(m);
        const d = (k: string) => (prev ? (v[k] ?? 0) - (prev[k] ?? 0) : 0);
        const ttfa = d("kokoro_ttfa_seconds_count")
          ? d("kokoro_ttfa_seconds_sum") / d("kokoro_ttfa_seconds_count")
          : 0;
        const rtf = d("kokoro_stream_rtf_count")
          ? d("kokoro_stream_rtf_sum") / d("kokoro_stream_rtf_count")
          : 0;
        prev = v;
        if (stop) return;
        setNow(v);
        setReady(JSON.stringify(r.checks ?? r));
        setHist((h) => [...h.slice(-59), { ttfa, rtf, queue: v.kokoro_gateway_synth_queue_depth ?? 0 }]);
      } catch {
        /* the next tick tries again */
      }
    };
    tick();
    const t = setInterval(tick, 2000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, []);
  const spark = (key: "ttfa" | "rtf" | "queue") => {
    const max = Math.max(1e-9, ...hist.map((h) => h[key]));
    const pts = hist.map((h, i) => `${(i / 59) * 100},${30 - (h[key] / max) * 28}`).join(" ");
    return (
      <svg viewBox="0 0 100 30" class="spark" role="img" aria-label={`${key} over the last two minutes`}>
        <polyline points={pts} fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
    );
  };
  const last = hist[hist.length - 1];
  return (
    <div class="status-panel">
      <dl>
        <dt>Model version</dt>
        <dd data-metric="model-version">
          {props.modelVersion ? props.modelVersion.slice(0, 12) : "– (known after the first render)"}
        </dd>
        <dt>Synth replicas ready</dt>
        <dd data-metric="replicas">{now.kokoro_synth_replicas_ready ?? "–"}</dd>
        <dt>Queue depth</dt>
        <dd>{now.kokoro_gateway_synth_queue_depth ?? "–"}</dd>
        <dt>Active streams</dt>
        <dd>{now.kokoro_active_streams ?? "–"}</dd>
        <dt>Time to first audio (s)</dt>
        <dd>
          {last?.ttfa ? last.ttfa.toFixed(3) : "–"} {spark("ttfa")}
        </dd>
        <dt>Real-time factor</dt>
        <dd>
          {last?.rtf ? last.rtf.toFixed(3) : "–"} {spark("rtf")}
        </dd>
      </dl>
      <p class="small-print">Readiness (bus, database, g2p, synth, mirror sync): {ready || "…"}</p>
    </div>
  );
}
