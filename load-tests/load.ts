/**
 * The load driver's engine: N concurrent speech streams against a running
 * kokoro-edge gateway for a bounded time (and a bounded request count),
 * measuring time to first audio byte, total time, audio received and errors.
 * Targets are loopback addresses only (this tool is for the stack on this
 * machine; use k6 for clusters, see README.md).
 */

export const SAMPLE_RATE = 24_000;
/** pcm is s16le mono: 2 bytes a sample. */
export const PCM_BYTES_PER_SECOND = SAMPLE_RATE * 2;

export const LIMITS = { maxDurationS: 600, maxConcurrency: 256, maxRequests: 100_000 } as const;
/** Longest a single stream may run, however steadily it flows. */
export const MAX_STREAM_MS = 600_000;

export type Mode = "pcm" | "sse";

export const TEXTS = {
  short: "The quick brown fox jumps over the lazy dog.",
  medium:
    "Streaming speech lets a listener hear the first words while the rest is still being made. " +
    "Each sentence is turned into phonemes, split into chunks, and sent to a worker. " +
    "The first chunk is kept short, so the first audio arrives quickly.",
  long:
    "Operators scale synthesis workers on Kubernetes and watch latency while client applications send a steady stream of requests. " +
    "The gateway accepts the text, checks the limits, and asks the phonemizer for tokens. " +
    "Tokens are grouped into chunks of about two hundred, and the first chunk is only a clause long. " +
    "Workers run the model, one chunk after another, and send raw audio back as soon as each chunk is ready. " +
    "The gateway encodes it once, at the edge, and the listener hears a continuous voice. " +
    "When a worker disappears, the stream resumes on another one from the first chunk the client has not fully received. " +
    "Because inference is deterministic, the resumed audio matches exactly, and nobody hears a seam.",
} as const;
export type TextName = keyof typeof TEXTS;

export interface LoadOptions {
  url: string;
  concurrency: number;
  durationS: number;
  maxRequests: number;
  modes: Mode[];
  /** Texts cycled through, one per request. */
  inputs: string[];
  voice: string;
  apiKey?: string;
  timeoutMs: number;
}

export interface Sample {
  mode: Mode;
  /** Characters of the input text. */
  chars: number;
  ok: boolean;
  status: number;
  /** ms from sending the request to the first audio byte (undefined when none came). */
  ttfaMs?: number;
  totalMs: number;
  audioS: number;
  error?: string;
}

export function isLoopbackUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  const h = u.hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function validateOptions(o: LoadOptions): LoadOptions {
  if (!isLoopbackUrl(o.url))
    throw new Error(
      `refusing ${o.url}: the load driver only targets this machine (127.0.0.0/8, localhost, [::1]); use the k6 scripts for other targets`,
    );
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isFinite(v) || v < lo || v > hi)
      throw new Error(`${name} must be between ${lo} and ${hi} (got ${v})`);
  };
  intIn("concurrency", o.concurrency, 1, LIMITS.maxConcurrency);
  intIn("duration", o.durationS, 0.1, LIMITS.maxDurationS);
  intIn("max requests", o.maxRequests, 1, LIMITS.maxRequests);
  intIn("timeout", o.timeoutMs, 100, 600_000);
  if (o.modes.length === 0) throw new Error("give at least one mode (pcm, sse)");
  if (o.inputs.length === 0 || o.inputs.some((t) => !t.trim()))
    throw new Error("inputs must be non-empty texts");
  return o;
}

/** Decoded length of a base64 string, without decoding it. */
export function base64Bytes(b64: string): number {
  const s = b64.replace(/\s+/g, "");
  if (!s) return 0;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

/** One POST /v1/audio/speech, read to the end. Never throws: failures are samples with ok=false. */
export async function speechRequest(
  o: Pick<LoadOptions, "url" | "voice" | "apiKey" | "timeoutMs">,
  mode: Mode,
  input: string,
): Promise<Sample> {
  const t0 = performance.now();
  let ttfaMs: number | undefined;
  let bytes = 0;
  let status = 0;
  // timeoutMs is an idle timeout: the request fails when nothing (headers, a
  // byte) arrives for that long; a stream that keeps flowing may run up to
  // MAX_STREAM_MS, as a player would let it.
  const ac = new AbortController();
  let timedOut = "";
  let idle: ReturnType<typeof setTimeout> | undefined;
  const alive = () => {
    clearTimeout(idle);
    idle = setTimeout(() => ((timedOut = `no data for ${o.timeoutMs} ms`), ac.abort()), o.timeoutMs);
  };
  const cap = setTimeout(
    () => ((timedOut = `stream longer than ${MAX_STREAM_MS / 1000} s`), ac.abort()),
    MAX_STREAM_MS,
  );
  alive();
  const sample = (ok: boolean, error?: string): Sample => ({
    mode,
    chars: input.length,
    ok,
    status,
    ttfaMs,
    totalMs: performance.now() - t0,
    audioS: bytes / PCM_BYTES_PER_SECOND,
    error,
  });
  try {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
    const body = {
      model: "kokoro",
      input,
      voice: o.voice,
      response_format: "pcm",
      ...(mode === "sse" ? { stream_format: "sse" } : {}),
    };
    const res = await fetch(`${o.url.replace(/\/+$/, "")}/v1/audio/speech`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: ac.signal,
    });
    alive();
    status = res.status;
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => "");
      return sample(false, `HTTP ${res.status}: ${text.slice(0, 160)}`);
    }
    if (mode === "pcm") {
      for await (const part of res.body) {
        alive();
        if (part.byteLength > 0 && ttfaMs === undefined) ttfaMs = performance.now() - t0;
        bytes += part.byteLength;
      }
      if (bytes === 0) return sample(false, "no audio in the response");
      return sample(true);
    }
    // SSE: data: {...}\n\n events; speech.audio.delta carries base64 PCM.
    const dec = new TextDecoder();
    let buf = "";
    let done = false;
    for await (const part of res.body) {
      alive();
      buf += dec.decode(part, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const event = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = event
          .split("\n")
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trimStart())
          .join("\n");
        if (!data) continue;
        let ev: { type?: string; audio?: string; error?: { message?: string }; message?: string };
        try {
          ev = JSON.parse(data);
        } catch {
          return sample(false, `bad SSE event: ${data.slice(0, 80)}`);
        }
        if (ev.type === "speech.audio.delta" && typeof ev.audio === "string") {
          const n = base64Bytes(ev.audio);
          if (n > 0 && ttfaMs === undefined) ttfaMs = performance.now() - t0;
          bytes += n;
        } else if (ev.type === "speech.audio.done") done = true;
        else if (ev.type === "error")
          return sample(false, `SSE error: ${ev.error?.message ?? ev.message ?? data.slice(0, 120)}`);
      }
    }
    if (!done) return sample(false, "SSE stream ended without speech.audio.done");
    if (bytes === 0) return sample(false, "no audio in the SSE stream");
    return sample(true);
  } catch (err) {
    return sample(false, timedOut ? `timed out: ${timedOut}` : (err as Error).message);
  } finally {
    clearTimeout(idle);
    clearTimeout(cap);
  }
}

export interface RunResult {
  samples: Sample[];
  wallS: number;
  options: LoadOptions;
}

/** Runs the workers until the time or the request budget is spent; requests in flight at the deadline finish. */
export async function runLoad(opts: LoadOptions, onSample?: (s: Sample) => void): Promise<RunResult> {
  const o = validateOptions(opts);
  const samples: Sample[] = [];
  const t0 = performance.now();
  const deadline = t0 + o.durationS * 1000;
  let issued = 0;
  const worker = async () => {
    while (performance.now() < deadline && issued < o.maxRequests) {
      const n = issued++;
      const mode = o.modes[n % o.modes.length]!;
      const input = o.inputs[Math.floor(n / o.modes.length) % o.inputs.length]!;
      const s = await speechRequest(o, mode, input);
      samples.push(s);
      onSample?.(s);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { samples, wallS: (performance.now() - t0) / 1000, options: o };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export interface Row {
  mode: string;
  requests: number;
  ok: number;
  errors: number;
  errorRate: number;
  ttfa: { p50: number; p95: number; max: number };
  total: { p50: number; p95: number; max: number };
  audioS: number;
  /** total time / audio time per request (below 1: faster than real time). */
  rtfP50: number;
  /** Seconds of audio delivered per second of wall time. */
  audioPerWallS: number;
}

export function summarize(samples: Sample[], wallS: number, mode: string): Row {
  const ok = samples.filter((s) => s.ok);
  const stat = (v: number[]) => ({
    p50: percentile(v, 50),
    p95: percentile(v, 95),
    max: v.length ? Math.max(...v) : NaN,
  });
  const audioS = ok.reduce((n, s) => n + s.audioS, 0);
  return {
    mode,
    requests: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    errorRate: samples.length ? (samples.length - ok.length) / samples.length : 0,
    ttfa: stat(ok.map((s) => s.ttfaMs!)),
    total: stat(ok.map((s) => s.totalMs)),
    audioS,
    rtfP50: percentile(
      ok.filter((s) => s.audioS > 0).map((s) => s.totalMs / 1000 / s.audioS),
      50,
    ),
    audioPerWallS: wallS > 0 ? audioS / wallS : 0,
  };
}

export function rows(r: RunResult): Row[] {
  const out = r.options.modes.map((m) =>
    summarize(
      r.samples.filter((s) => s.mode === m),
      r.wallS,
      m,
    ),
  );
  if (r.options.modes.length > 1) out.push(summarize(r.samples, r.wallS, "all"));
  return out;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "-");
export function table(rs: Row[]): string {
  const head = [
    "mode",
    "reqs",
    "ok",
    "err",
    "err%",
    "TTFA p50",
    "p95",
    "max",
    "total p50",
    "p95",
    "max",
    "audio s",
    "RTF p50",
    "audio s/s",
  ];
  const body = rs.map((r) => [
    r.mode,
    String(r.requests),
    String(r.ok),
    String(r.errors),
    (r.errorRate * 100).toFixed(1),
    ms(r.ttfa.p50),
    ms(r.ttfa.p95),
    ms(r.ttfa.max),
    ms(r.total.p50),
    ms(r.total.p95),
    ms(r.total.max),
    r.audioS.toFixed(1),
    Number.isFinite(r.rtfP50) ? r.rtfP50.toFixed(3) : "-",
    r.audioPerWallS.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return (
    [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") +
    "\n(times in ms)"
  );
}

/** The most common error messages, for the report. */
export function topErrors(samples: Sample[], n = 5): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.ok) continue;
    const key = `${s.mode}, ${s.chars}-char input${s.ttfaMs === undefined ? ", no audio yet" : `, first audio at ${Math.round(s.ttfaMs)} ms`}: ${s.error ?? "?"}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
}
