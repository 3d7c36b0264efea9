/**
 * How far a sync's downloads have come, in words a person reads in a log line,
 * in /readyz or on a terminal's progress bar:
 *
 *   downloading onnx/model_quantized.onnx: 41 %, 38 of 92 MB, 12 MB/s, about 5 s left
 *
 * Pure bookkeeping: the fetcher reports bytes, callers read snapshots. The
 * rate is taken over the last few seconds, so a stalled transfer shows it.
 */

interface FileProgress {
  /** Unknown for pinned files (only their checksum is known until they arrive). */
  size?: number;
  done: number;
  started: boolean;
  finished: boolean;
}

export interface ProgressSnapshot {
  /** The file the line names: the largest one still in progress. */
  file?: string;
  /** Other files still to come. */
  others: number;
  done: number;
  /** Undefined while a file of unknown size is still to come. */
  total?: number;
  /** Bytes per second over the rate window (undefined in the first second). */
  rate?: number;
  /** Seconds left at that rate, when the total is known and bytes are moving. */
  eta?: number;
  /** 0-1 when the total is known. */
  ratio?: number;
}

const RATE_WINDOW_MS = 5_000;

export class DownloadProgress {
  private readonly files = new Map<string, FileProgress>();
  private readonly samples: { t: number; bytes: number }[] = [];
  private receivedTotal = 0;
  readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
    this.samples.push({ t: this.startedAt, bytes: 0 });
  }

  /** A file this sync will download (`size` undefined when unknown). */
  expect(path: string, size?: number) {
    if (!this.files.has(path)) this.files.set(path, { size, done: 0, started: false, finished: false });
  }

  /** A transfer starts (or resumes at `offset` bytes already on disk). */
  started(path: string, offset: number) {
    const f = this.file(path);
    f.started = true;
    f.done = offset;
  }

  received(path: string, bytes: number) {
    const f = this.file(path);
    f.done += bytes;
    this.receivedTotal += bytes;
    this.sample();
  }

  /** Bytes thrown away (they failed verification): the file starts again. */
  reset(path: string) {
    this.file(path).done = 0;
  }

  finished(path: string, size: number) {
    const f = this.file(path);
    f.size = size;
    f.done = size;
    f.finished = true;
  }

  private file(path: string): FileProgress {
    let f = this.files.get(path);
    if (!f) this.files.set(path, (f = { done: 0, started: false, finished: false }));
    return f;
  }

  private sample() {
    const t = this.now();
    const last = this.samples[this.samples.length - 1]!;
    if (t - last.t >= 200) this.samples.push({ t, bytes: this.receivedTotal });
    else last.bytes = this.receivedTotal;
    // keep the window and one sample before it
    while (this.samples.length > 2 && t - this.samples[1]!.t >= RATE_WINDOW_MS) this.samples.shift();
  }

  /** True while some expected file has not arrived. */
  get active(): boolean {
    for (const f of this.files.values()) if (!f.finished) return true;
    return false;
  }

  snapshot(): ProgressSnapshot {
    let done = 0;
    let total: number | undefined = 0;
    let file: string | undefined;
    let fileSize = -1;
    let pending = 0;
    for (const [path, f] of this.files) {
      done += f.done;
      total = f.size === undefined || total === undefined ? undefined : total + f.size;
      if (f.finished) continue;
      pending++;
      const weight = f.started ? (f.size ?? f.done) : -1;
      if (weight > fileSize) {
        fileSize = weight;
        file = path;
      }
    }
    // Bytes over the last few seconds: a transfer that stopped shows a falling rate.
    const t = this.now();
    let base = this.samples[0]!;
    for (const smp of this.samples) if (smp.t <= t - RATE_WINDOW_MS) base = smp;
    const span = t - base.t;
    // no rate until a second of data is in; no time left until it is worth saying
    const rate = span < 1000 ? undefined : ((this.receivedTotal - base.bytes) * 1000) / span;
    const ratio = total ? Math.min(1, done / total) : undefined;
    const eta =
      total !== undefined && rate !== undefined && rate >= 1000
        ? Math.max(0, (total - done) / rate)
        : undefined;
    return { file, others: Math.max(0, pending - 1), done, total, rate, eta, ratio };
  }

  /** `downloading onnx/model_quantized.onnx: 41 %, 38 of 92 MB, 12 MB/s, about 5 s left` */
  describe(): string {
    return describeProgress(this.snapshot());
  }
}

export function formatBytes(n: number): string {
  const mb = n / 1e6;
  if (mb >= 10) return `${Math.round(mb)} MB`;
  if (mb >= 0.1) return `${mb.toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} kB`;
}

export function formatDuration(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function describeProgress(p: ProgressSnapshot): string {
  const what = p.file
    ? `${p.file}${p.others ? ` and ${p.others} more file${p.others === 1 ? "" : "s"}` : ""}`
    : "files";
  const parts: string[] = [];
  if (p.total !== undefined && p.total > 0) {
    parts.push(`${Math.floor((p.ratio ?? 0) * 100)} %`);
    // "38 of 92 MB": one unit for both when they share it
    const [d, t] = [formatBytes(p.done), formatBytes(p.total)];
    parts.push(d.split(" ")[1] === t.split(" ")[1] ? `${d.split(" ")[0]} of ${t}` : `${d} of ${t}`);
  } else parts.push(`${formatBytes(p.done)} so far`);
  parts.push(
    p.rate === undefined ? "starting" : p.rate >= 1000 ? `${formatBytes(p.rate)}/s` : "waiting for data",
  );
  if (p.eta !== undefined) parts.push(`about ${formatDuration(p.eta)} left`);
  return `downloading ${what}: ${parts.join(", ")}`;
}

/** `[##########----------]`, `width` cells. */
export function progressBar(ratio: number, width = 24): string {
  const full = Math.round(Math.min(1, Math.max(0, ratio)) * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}]`;
}
