/**
 * The Studio: upload subtitles or text, edit cues, pick voices, listen, export,
 * and keep projects. One component owns the document (with undo history);
 * rendering, playback and the API are plain modules beside it.
 */
import { render } from "preact";
import { useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import "./styles.css";
import {
  ApiError,
  api,
  listVoices,
  parseText,
  speakPcm,
  uploadForParse,
  type ParsedDoc,
  type Voice,
} from "./api";
import { CueList } from "./CueList";
import { commit, historyOf, redo, undo, type History } from "./history";
import {
  type Cue,
  type StudioDoc,
  deleteCue,
  docFromParsed,
  mergeWithNext,
  overlaps,
  speedOf,
  splitCue,
  updateCue,
  voiceOf,
} from "./model";
import { ExportPanel, ProjectsPanel, StatusPanel } from "./panels";
import { Player } from "./player";
import { prefs } from "./prefs";
import { Renderer, renderKey } from "./renderer";
import { Timeline } from "./Timeline";
import { MixBuilder, VoicePicker } from "./VoicePicker";

const EMPTY: StudioDoc = { format: "text", timed: true, voice: "af_heart", speed: 1, speakers: {}, cues: [] };
const ACCEPT = ".txt,.srt,.vtt,.ass,.ssa,text/plain";
const VARIANTS = ["plain", "brutalist", "skeuomorphic", "glassmorphic", "retro"];

interface FileEntry {
  name: string;
  size: number;
  progress: number;
  parsed?: ParsedDoc;
  error?: string;
}

type Metrics = { previewLatencyMs: number[]; playLatencyMs: number[] };
declare global {
  interface Window {
    __studio: { renderer: Renderer; player: Player; metrics: Metrics; doc: () => StudioDoc };
  }
}

function App() {
  const [hist, setHist] = useState<History<StudioDoc>>(historyOf(EMPTY));
  const doc = hist.present;
  const edit = (f: (d: StudioDoc) => StudioDoc) => setHist((h) => commit(h, f(h.present)));
  const [selected, setSelected] = useState("");
  const [files, setFiles] = useState<FileEntry[]>([]);
  const [voices, setVoices] = useState<Voice[]>([]);
  const [voiceError, setVoiceError] = useState("");
  const [previewing, setPreviewing] = useState("");
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [renderVersion, bumpRender] = useReducer((n: number, _: void) => n + 1, 0);
  const [theme, setTheme] = useState(prefs.theme());
  const [variant, setVariant] = useState(prefs.variant() || "plain");
  const [projectId, setProjectId] = useState("");
  const [projectName, setProjectName] = useState("Untitled");
  const [projectsRefresh, bumpProjects] = useReducer((n: number, _: void) => n + 1, 0);
  const [notice, setNotice] = useState("");
  const [text, setText] = useState("");
  const [video, setVideo] = useState("");
  const [dragging, setDragging] = useState(false);
  const videoEl = useRef<HTMLVideoElement>(null);

  // Render updates arrive in bursts; the page updates at most once a frame.
  const renderer = useMemo(() => {
    let pending = false;
    return new Renderer(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        bumpRender();
      });
    });
  }, []);
  const player = useMemo(() => new Player(), []);
  const metrics = useMemo<Metrics>(() => ({ previewLatencyMs: [], playLatencyMs: [] }), []);
  const docRef = useRef(doc);
  docRef.current = doc;
  window.__studio = { renderer, player, metrics, doc: () => docRef.current };

  const keyOf = (c: Cue) => renderKey(voiceOf(doc, c), speedOf(doc, c), c.text);
  // One pass over the cues per render update: every derived view reads this map.
  const states = useMemo(
    () => new Map(doc.cues.map((c) => [c.id, renderer.get(keyOf(c))])),
    [doc, renderVersion],
  );
  const stateOf = (c: Cue) => states.get(c.id);
  const pcmOf = (c: Cue) => {
    const s = stateOf(c);
    return s?.status === "done" ? s.pcm : undefined;
  };

  // The audio context is made up front and resumed at the first gesture, so play and
  // preview do not pay for creating it (tens of milliseconds) after the click.
  useEffect(() => {
    player.context();
    const wake = () => player.context();
    addEventListener("pointerdown", wake, { capture: true });
    addEventListener("keydown", wake, { capture: true });
    return () => {
      removeEventListener("pointerdown", wake, { capture: true });
      removeEventListener("keydown", wake, { capture: true });
    };
  }, []);

  // Voices once.
  useEffect(() => {
    listVoices()
      .then(setVoices)
      .catch((e) => setVoiceError((e as Error).message));
  }, []);

  // Reopen the last project after a reload.
  useEffect(() => {
    const id = prefs.lastProject();
    if (id)
      openProject(id).catch((e) => {
        prefs.setLastProject("");
        setNotice(`could not reopen the last project: ${(e as Error).message}`);
      });
  }, []);

  // Background rendering: everything the document needs; the cue at the play head (when
  // playing) or the selected cue, and what follows it, first.
  useEffect(() => {
    const at = playing ? doc.cues.findIndex((c) => c.end_s > player.time) : -1;
    const i =
      at >= 0
        ? at
        : Math.max(
            0,
            doc.cues.findIndex((c) => c.id === selected),
          );
    const order = [...doc.cues.slice(i), ...doc.cues.slice(0, i)];
    renderer.want(order.map((c) => ({ voice: voiceOf(doc, c), speed: speedOf(doc, c), text: c.text })));
    renderer.retain(new Set(doc.cues.map(keyOf)));
  }, [doc, playing]);

  // Playing while rendering: each cue joins the track as soon as its audio arrives.
  useEffect(() => {
    if (playing) player.add(clipsOf(doc));
  }, [renderVersion, playing]);

  // Autosave an open project a second after the last edit.
  useEffect(() => {
    if (!projectId) return;
    const t = setTimeout(() => {
      api(`/v1/projects/${projectId}`, { method: "PATCH", body: JSON.stringify({ document: doc }) }).catch(
        (e) => setNotice(`autosave failed: ${(e as Error).message}`),
      );
    }, 1000);
    return () => clearTimeout(t);
  }, [doc, projectId]);

  // Theme and variant on <html>, remembered.
  useEffect(() => {
    const html = document.documentElement;
    if (theme) html.dataset.theme = theme;
    else delete html.dataset.theme;
    html.dataset.variant = variant;
    prefs.setTheme(theme);
    prefs.setVariant(variant);
  }, [theme, variant]);

  // The play head.
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const loop = () => {
      setTime(player.time);
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  const duration = doc.cues.reduce((m, c) => {
    const p = pcmOf(c);
    return Math.max(m, c.end_s, p ? c.start_s + p.length / 24_000 : 0);
  }, 0);
  const current =
    playing || time > 0
      ? (doc.cues.find(
          (c) => time >= c.start_s && time < Math.max(c.end_s, c.start_s + (pcmOf(c)?.length ?? 0) / 24_000),
        )?.id ?? "")
      : "";
  const allRendered = doc.cues.every(
    (c) => !c.text.trim() || stateOf(c)?.status === "done" || stateOf(c)?.status === "error",
  );
  useEffect(() => {
    if (playing && allRendered && time > duration + 0.2) pause();
  }, [time]);

  const flags = useMemo(() => {
    const m = new Map<string, string[]>();
    const over = overlaps(doc);
    for (const c of doc.cues) {
      const f: string[] = [];
      if (over.has(c.id)) f.push("overlaps");
      const p = pcmOf(c);
      if (p && p.length / 24_000 > c.end_s - c.start_s + 0.05)
        f.push(`overflows by ${(p.length / 24_000 - (c.end_s - c.start_s)).toFixed(2)} s`);
      if (f.length) m.set(c.id, f);
    }
    return m;
  }, [doc, renderVersion]);

  function clipsOf(d: StudioDoc) {
    return d.cues.flatMap((c) => {
      const p = pcmOf(c);
      return p ? [{ start_s: c.start_s, pcm: p }] : [];
    });
  }
  const play = () => {
    const t0 = performance.now();
    const from = time >= duration ? 0 : time;
    player.play(from, clipsOf(doc));
    metrics.playLatencyMs.push(performance.now() - t0 + 20);
    setPlaying(true);
    const v = videoEl.current;
    if (v) {
      v.currentTime = from;
      v.play().catch(() => {});
    }
  };
  function pause() {
    player.pause();
    setPlaying(false);
    setTime(player.time);
    videoEl.current?.pause();
  }
  const seek = (t: number) => {
    player.seek(t);
    setTime(t);
    if (videoEl.current) videoEl.current.currentTime = t;
    if (playing) play();
  };

  const loadParsed = (p: ParsedDoc, name: string) => {
    const d = docFromParsed(p, doc.voice);
    setHist((h) => commit(h, d));
    setSelected(d.cues[0]?.id ?? "");
    setProjectId("");
    setProjectName(name.replace(/\.[^.]+$/, "") || "Untitled");
    prefs.setLastProject("");
  };

  const addFiles = (list: FileList | File[]) => {
    const arr = [...list];
    const start = files.length;
    setFiles((f) => [...f, ...arr.map((x) => ({ name: x.name, size: x.size, progress: 0 }))]);
    arr.forEach((file, k) => {
      const at = start + k;
      const patch = (p: Partial<FileEntry>) =>
        setFiles((f) => f.map((e, i) => (i === at ? { ...e, ...p } : e)));
      if (!/\.(txt|srt|vtt|ass|ssa)$/i.test(file.name)) {
        patch({ error: `${file.name}: not a .txt, .srt, .vtt, .ass or .ssa file` });
        return;
      }
      uploadForParse(file, (progress) => patch({ progress }))
        .then((parsed) => {
          patch({ parsed, progress: 1 });
          if (k === 0) loadParsed(parsed, file.name);
        })
        .catch((e) =>
          patch({
            error:
              e instanceof ApiError && e.status === 413
                ? `${file.name} is too large: ${e.message}`
                : (e as Error).message,
          }),
        );
    });
  };

  const preview = async (voice: string) => {
    const t0 = performance.now();
    setPreviewing(voice);
    prefs.addRecent(voice);
    const push = player.streamer();
    let first = true;
    try {
      await speakPcm(`Hello, this is ${voice}.`, voice, doc.speed, undefined, (f) => {
        if (first) {
          metrics.previewLatencyMs.push(performance.now() - t0);
          first = false;
        }
        push(f);
      });
    } catch (e) {
      setNotice(`preview failed: ${(e as Error).message}`);
    } finally {
      setPreviewing("");
    }
  };

  async function openProject(id: string) {
    const p = await api<{ id: string; name: string; document: StudioDoc }>(`/v1/projects/${id}`);
    setHist(historyOf(p.document));
    setProjectId(p.id);
    setProjectName(p.name);
    setSelected(p.document.cues[0]?.id ?? "");
    prefs.setLastProject(p.id);
  }
  const saveProject = async (name: string) => {
    const body = JSON.stringify({ name: name || "Untitled", document: doc });
    const p = projectId
      ? await api<{ id: string; name: string }>(`/v1/projects/${projectId}`, { method: "PATCH", body })
      : await api<{ id: string; name: string }>("/v1/projects", { method: "POST", body });
    setProjectId(p.id);
    setProjectName(p.name);
    prefs.setLastProject(p.id);
    setNotice(`saved ${p.name}`);
    bumpProjects();
  };

  // Global keys: undo/redo, play/pause (outside text fields).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = (e.target as HTMLElement).matches?.("input, textarea, select");
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !inField && e.key.toLowerCase() === "z") {
        e.preventDefault();
        setHist(e.shiftKey ? redo : undo);
      } else if (mod && !inField && e.key.toLowerCase() === "y") {
        e.preventDefault();
        setHist(redo);
      } else if (e.key === " " && !inField && !(e.target as HTMLElement).matches?.("button")) {
        e.preventDefault();
        document.getElementById("play")?.click();
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const rendered = doc.cues.filter((c) => stateOf(c)?.status === "done").length;
  const currentCue = doc.cues.find((c) => c.id === current);
  const speakers = [...new Set(doc.cues.map((c) => c.speaker).filter(Boolean))] as string[];

  return (
    <>
      <a class="skip" href="#editor">
        Skip to the cue editor
      </a>
      <header class="top">
        <h1>kokoro-edge Studio</h1>
        <div class="row wrap">
          <button
            type="button"
            id="theme"
            aria-label={`Theme: ${theme || "system"}`}
            onClick={() => setTheme(theme === "" ? "dark" : theme === "dark" ? "light" : "")}
          >
            Theme: {theme || "system"}
          </button>
          <label>
            Style{" "}
            <select value={variant} onChange={(e) => setVariant(e.currentTarget.value)}>
              {VARIANTS.map((v) => (
                <option value={v}>{v}</option>
              ))}
            </select>
          </label>
          <a href="/docs">API docs</a>
        </div>
      </header>
      <main>
        <section class="inputs" aria-label="Input">
          <details open>
            <summary>Files</summary>
            <div
              class={`drop${dragging ? " over" : ""}`}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                if (e.dataTransfer?.files.length) addFiles(e.dataTransfer.files);
              }}
            >
              <p>Drop .srt, .vtt, .ass, .ssa or .txt files here, or</p>
              <label class="button">
                Choose files
                <input
                  id="file-input"
                  type="file"
                  multiple
                  accept={ACCEPT}
                  class="visually-hidden"
                  onChange={(e) => e.currentTarget.files && addFiles(e.currentTarget.files)}
                />
              </label>
            </div>
            <ul class="files" aria-label="Uploaded files">
              {files.map((f, i) => (
                <li data-file={f.name} class={f.error ? "bad" : f.parsed ? "ok" : ""}>
                  <span class="name">{f.name}</span>{" "}
                  <progress max={1} value={f.progress} aria-label={`Upload of ${f.name}`} />{" "}
                  {f.error && (
                    <span class="error" role="alert">
                      {f.error}
                    </span>
                  )}
                  {f.parsed && (
                    <>
                      <span>
                        {f.parsed.format.toUpperCase()}, {f.parsed.cues.length} cues
                        {f.parsed.warnings.length
                          ? `, ${f.parsed.warnings.length} warnings (first: line ${f.parsed.warnings[0]!.line}: ${f.parsed.warnings[0]!.message})`
                          : ""}
                      </span>{" "}
                      <button
                        type="button"
                        class="small"
                        onClick={() => loadParsed(f.parsed!, f.name)}
                        aria-label={`Edit ${f.name}`}
                      >
                        Edit
                      </button>
                    </>
                  )}
                  <span hidden>{i}</span>
                </li>
              ))}
            </ul>
          </details>
          <details>
            <summary>Text</summary>
            <label for="direct-text">Type or paste text; each paragraph or sentence becomes a cue.</label>
            <textarea
              id="direct-text"
              rows={4}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button
              type="button"
              onClick={() =>
                parseText(text)
                  .then((p) => loadParsed(p, "Text"))
                  .catch((e) => setNotice((e as Error).message))
              }
              disabled={!text.trim()}
            >
              Use this text
            </button>
          </details>
        </section>

        <section class="player" aria-label="Playback">
          <div class="row wrap">
            <button
              type="button"
              id="play"
              onClick={() => (playing ? pause() : play())}
              disabled={!doc.cues.length}
              aria-pressed={playing}
            >
              {playing ? "Pause" : "Play"}
            </button>
            <span class="clock" aria-live="off">
              {time.toFixed(1)} / {duration.toFixed(1)} s
            </span>
            <span class="render-progress" role="status">
              Rendered {rendered} of {doc.cues.length}
            </span>
            <button type="button" onClick={() => setHist(undo)} disabled={!hist.past.length} id="undo">
              Undo
            </button>
            <button type="button" onClick={() => setHist(redo)} disabled={!hist.future.length} id="redo">
              Redo
            </button>
            <label class="button">
              Video…
              <input
                type="file"
                accept="video/*"
                class="visually-hidden"
                onChange={(e) => {
                  const f = e.currentTarget.files?.[0];
                  if (f) setVideo(URL.createObjectURL(f));
                }}
              />
            </label>
          </div>
          {video && (
            <div class="video">
              <video ref={videoEl} src={video} muted playsInline />
              <p class="overlay">{currentCue?.text}</p>
            </div>
          )}
          <Timeline
            cues={doc.cues}
            duration={duration}
            time={time}
            current={current}
            pcmOf={pcmOf}
            onSeek={seek}
            version={renderVersion}
          />
        </section>

        {notice && (
          <p class="notice" role="status" data-notice>
            {notice}{" "}
            <button type="button" class="small" onClick={() => setNotice("")} aria-label="Dismiss">
              ✕
            </button>
          </p>
        )}

        <section id="editor" class="editor" aria-label="Cue editor">
          <h2>
            Cues <small>{doc.cues.length}</small>
          </h2>
          {doc.cues.length ? (
            <CueList
              doc={doc}
              selected={selected || doc.cues[0]!.id}
              current={current}
              flags={flags}
              renderState={stateOf}
              onSelect={setSelected}
              onEdit={(id, patch) => edit((d) => updateCue(d, id, patch))}
              onSplit={(id, at) => edit((d) => splitCue(d, id, at))}
              onMerge={(id) => edit((d) => mergeWithNext(d, id))}
              onDelete={(id) => edit((d) => deleteCue(d, id))}
            />
          ) : (
            <p class="empty">Upload a file or type text to start.</p>
          )}
        </section>

        <section class="side" aria-label="Voices and speed">
          <details open>
            <summary>Voice</summary>
            <p>
              Track voice: <strong id="track-voice">{doc.voice}</strong>{" "}
              <label>
                Track speed{" "}
                <input
                  type="number"
                  min="0.25"
                  max="4"
                  step="0.05"
                  value={doc.speed}
                  onChange={(e) => edit((d) => ({ ...d, speed: Number(e.currentTarget.value) || 1 }))}
                />
              </label>
            </p>
            <label>
              Voice or mix (e.g. af_bella(2)+am_adam(1)){" "}
              <input
                list="voice-names"
                value={doc.voice}
                onChange={(e) =>
                  e.currentTarget.value.trim() && edit((d) => ({ ...d, voice: e.currentTarget.value.trim() }))
                }
              />
            </label>
            {voiceError && <p class="error">{voiceError}</p>}
            <VoicePicker
              voices={voices}
              value={doc.voice}
              previewing={previewing}
              onPreview={preview}
              onPick={(v) => {
                prefs.addRecent(v);
                edit((d) => ({ ...d, voice: v }));
              }}
            />
            <MixBuilder voices={voices} onMix={(v) => edit((d) => ({ ...d, voice: v }))} />
            <datalist id="voice-names">
              {voices.map((v) => (
                <option value={v.name} />
              ))}
            </datalist>
          </details>
          {speakers.length > 0 && (
            <details open>
              <summary>Speakers</summary>
              <ul class="speakers">
                {speakers.map((s) => (
                  <li>
                    <label>
                      {s}{" "}
                      <input
                        list="voice-names"
                        value={doc.speakers[s] ?? ""}
                        placeholder={doc.voice}
                        onChange={(e) =>
                          edit((d) => ({
                            ...d,
                            speakers: { ...d.speakers, [s]: e.currentTarget.value.trim() || d.voice },
                          }))
                        }
                      />
                    </label>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <details open>
            <summary>Export</summary>
            <ExportPanel doc={doc} name={projectName} />
          </details>
          <details open>
            <summary>Projects</summary>
            <ProjectsPanel
              currentId={projectId}
              onDeleted={(id) => {
                // The open project is gone: keep editing, as a new unsaved document.
                if (id === projectId) {
                  setProjectId("");
                  prefs.setLastProject("");
                }
              }}
              onOpen={(id) => openProject(id).catch((e) => setNotice((e as Error).message))}
              onSave={saveProject}
              refresh={projectsRefresh}
              name={projectName}
            />
          </details>
          <details>
            <summary>Status</summary>
            <StatusPanel modelVersion={renderer.modelVersion} />
          </details>
        </section>
      </main>
    </>
  );
}

const root = document.getElementById("app")!;
root.textContent = "";
render(<App />, root);
document.body.dataset.ready = "true";
