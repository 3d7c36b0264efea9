/**
 * The cue editor: a virtualised list (only the rows in view are in the DOM,
 * so 5,000 cues scroll smoothly) with inline editing of times, speaker, voice,
 * speed and text. Edits are committed on change so each is one undo step.
 * Keyboard: Up/Down (or J/K) move between cues, Enter edits the text, Escape
 * returns to the row, Alt+S splits, Alt+M merges with the next.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type Cue, type StudioDoc, formatTime, parseTime, voiceOf, speedOf } from "./model";
import type { RenderState } from "./renderer";

/** Rows have a fixed height so the list can place them without measuring; narrow screens stack a row's fields. */
export const ROW_HEIGHT = 76;
export const NARROW_ROW_HEIGHT = 150;
const rowHeight = () => (matchMedia("(max-width: 900px)").matches ? NARROW_ROW_HEIGHT : ROW_HEIGHT);

export interface CueListProps {
  doc: StudioDoc;
  selected: string;
  current: string;
  flags: Map<string, string[]>;
  renderState: (c: Cue) => RenderState | undefined;
  onSelect: (id: string) => void;
  onEdit: (id: string, patch: Partial<Cue>) => void;
  onSplit: (id: string, at?: number) => void;
  onMerge: (id: string) => void;
  onDelete: (id: string) => void;
}

const STATUS_LABEL: Record<string, string> = {
  queued: "queued",
  rendering: "rendering",
  done: "rendered",
  error: "failed",
};

export function CueList(p: CueListProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState(0);
  const [height, setHeight] = useState(480);
  const [ROW, setRow] = useState(rowHeight);
  const cues = p.doc.cues;
  const sel = Math.max(
    0,
    cues.findIndex((c) => c.id === p.selected),
  );

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setHeight(el.clientHeight || 480);
      setRow(rowHeight());
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the selected (or playing) cue in view.
  const follow = p.current || p.selected;
  useEffect(() => {
    const el = box.current;
    const i = cues.findIndex((c) => c.id === follow);
    if (!el || i < 0) return;
    const top = i * ROW;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
  }, [follow]);

  const first = Math.max(0, Math.floor(scroll / ROW) - 4);
  const last = Math.min(cues.length, Math.ceil((scroll + height) / ROW) + 4);

  const focusRow = (i: number) => {
    const c = cues[Math.max(0, Math.min(cues.length - 1, i))];
    if (!c) return;
    p.onSelect(c.id);
    requestAnimationFrame(() =>
      (box.current?.querySelector(`[data-cue="${c.id}"]`) as HTMLElement | null)?.focus(),
    );
  };

  const onKey = (e: KeyboardEvent) => {
    const inField = (e.target as HTMLElement).matches("input, textarea, select");
    if (e.key === "Escape" && inField) {
      (e.target as HTMLElement).closest<HTMLElement>("[data-cue]")?.focus();
      return;
    }
    if (inField) return;
    if (e.key === "ArrowDown" || e.key === "j") {
      e.preventDefault();
      focusRow(sel + 1);
    } else if (e.key === "ArrowUp" || e.key === "k") {
      e.preventDefault();
      focusRow(sel - 1);
    } else if (e.key === "Home") {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === "End") {
      e.preventDefault();
      focusRow(cues.length - 1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      (box.current?.querySelector(`[data-cue="${p.selected}"] textarea`) as HTMLElement | null)?.focus();
    }
  };

  return (
    <div
      class="cue-list"
      ref={box}
      role="list"
      aria-label="Cues"
      onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
      onKeyDown={onKey as never}
    >
      <div style={{ height: `${cues.length * ROW}px`, position: "relative" }}>
        {cues.slice(first, last).map((c, k) => {
          const i = first + k;
          const st = p.renderState(c);
          const flags = p.flags.get(c.id) ?? [];
          return (
            // Keyed by slot, not by cue: scrolling reuses the row elements and only
            // updates their values, instead of building new rows every frame.
            <div
              key={k}
              role="listitem"
              tabIndex={c.id === p.selected ? 0 : -1}
              data-cue={c.id}
              data-index={i}
              data-render={st?.status ?? "none"}
              aria-label={`Cue ${i + 1}`}
              aria-current={c.id === p.current ? "true" : undefined}
              class={`cue${c.id === p.selected ? " selected" : ""}${c.id === p.current ? " current" : ""}${flags.length ? " flagged" : ""}`}
              style={{ top: `${i * ROW}px`, height: `${ROW}px` }}
              onFocusCapture={() => c.id !== p.selected && p.onSelect(c.id)}
            >
              <span class="num">{i + 1}</span>
              <div class="times">
                <TimeInput
                  label={`Start of cue ${i + 1}`}
                  value={c.start_s}
                  onCommit={(v) => p.onEdit(c.id, { start_s: v })}
                />
                <TimeInput
                  label={`End of cue ${i + 1}`}
                  value={c.end_s}
                  onCommit={(v) => p.onEdit(c.id, { end_s: v })}
                />
              </div>
              <div class="meta">
                <input
                  aria-label={`Speaker of cue ${i + 1}`}
                  class="speaker"
                  value={c.speaker ?? ""}
                  placeholder="speaker"
                  onChange={(e) => p.onEdit(c.id, { speaker: e.currentTarget.value || undefined })}
                />
                <input
                  aria-label={`Voice of cue ${i + 1}`}
                  class="voice"
                  list="voice-names"
                  value={c.voice ?? ""}
                  placeholder={voiceOf(p.doc, c)}
                  onChange={(e) => p.onEdit(c.id, { voice: e.currentTarget.value.trim() || undefined })}
                />
                <input
                  aria-label={`Speed of cue ${i + 1}`}
                  class="speed"
                  type="number"
                  min="0.25"
                  max="4"
                  step="0.05"
                  value={c.speed ?? ""}
                  placeholder={String(speedOf(p.doc, c))}
                  onChange={(e) =>
                    p.onEdit(c.id, {
                      speed: e.currentTarget.value ? Number(e.currentTarget.value) : undefined,
                    })
                  }
                />
              </div>
              <textarea
                aria-label={`Text of cue ${i + 1}`}
                rows={2}
                value={c.text}
                maxLength={10000}
                onChange={(e) => p.onEdit(c.id, { text: e.currentTarget.value })}
                onKeyDown={(e) => {
                  if (e.altKey && e.key.toLowerCase() === "s") {
                    e.preventDefault();
                    p.onSplit(c.id, e.currentTarget.selectionStart || undefined);
                  }
                }}
              />
              <div class="actions">
                <span
                  class={`badge ${st?.status ?? "none"}`}
                  title={st?.status === "error" ? st.message : undefined}
                >
                  {st ? STATUS_LABEL[st.status] : "empty"}
                </span>
                {flags.map((f) => (
                  <span class="flag" role="note">
                    {f}
                  </span>
                ))}
                <button
                  type="button"
                  class="small"
                  onClick={() => p.onSplit(c.id)}
                  aria-label={`Split cue ${i + 1}`}
                >
                  Split
                </button>
                <button
                  type="button"
                  class="small"
                  onClick={() => p.onMerge(c.id)}
                  aria-label={`Merge cue ${i + 1} with the next`}
                  disabled={i === cues.length - 1}
                >
                  Merge
                </button>
                <button
                  type="button"
                  class="small"
                  onClick={() => p.onDelete(c.id)}
                  aria-label={`Delete cue ${i + 1}`}
                >
                  ✕
                </button>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function TimeInput(props: { label: string; value: number; onCommit: (v: number) => void }) {
  const [bad, setBad] = useState(false);
  return (
    <input
      class={`time${bad ? " invalid" : ""}`}
      aria-label={props.label}
      aria-invalid={bad}
      value={formatTime(props.value)}
      onChange={(e) => {
        const v = parseTime(e.currentTarget.value);
        setBad(!Number.isFinite(v));
        if (Number.isFinite(v)) props.onCommit(v);
      }}
    />
  );
}
