/**
 * Logs: JSON lines with the active trace id (what log collectors read), or,
 * on a terminal, short human lines (`12:03:41 warn  synth  no model loaded  detail=...`).
 * LOG_FORMAT=json|pretty overrides the choice. On a terminal a status line
 * (a download's progress bar) can sit below the log and is redrawn after each line.
 */
import { context, isSpanContextValid, trace } from "@opentelemetry/api";

type Level = "debug" | "info" | "warn" | "error";
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

let minLevel: Level = (process.env.LOG_LEVEL as Level) in rank ? (process.env.LOG_LEVEL as Level) : "info";
export function setLogLevel(level: Level) {
  minLevel = level;
}

type Format = "json" | "pretty";
let format: Format =
  process.env.LOG_FORMAT === "json" || process.env.LOG_FORMAT === "pretty"
    ? process.env.LOG_FORMAT
    : process.stdout.isTTY
      ? "pretty"
      : "json";
export function setLogFormat(f: Format) {
  format = f;
}

/** The status line under the log (a terminal only); undefined clears it. */
let statusLine: string | undefined;
const canDrawStatus = () => !!process.stderr.isTTY;
export function setStatusLine(text: string | undefined) {
  if (!canDrawStatus()) return;
  const cols = process.stderr.columns || 100;
  statusLine = text === undefined ? undefined : text.slice(0, cols - 1);
  process.stderr.write(`\r\x1b[2K${statusLine ?? ""}`);
}

const errorsAsObjects = (_k: string, v: unknown) =>
  v instanceof Error ? { message: v.message, name: v.name } : v;

function prettyValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === "string") return /[\s="]/.test(v) || v === "" ? JSON.stringify(v) : v;
  return JSON.stringify(v, errorsAsObjects);
}

function pretty(level: Level, service: string, msg: string, fields: Record<string, unknown>): string {
  const t = new Date().toTimeString().slice(0, 8);
  const tag = { debug: "debug", info: "info ", warn: "\x1b[33mwarn \x1b[0m", error: "\x1b[31merror\x1b[0m" }[
    level
  ];
  const rest = Object.entries(fields)
    .filter(([k, v]) => v !== undefined && k !== "trace_id" && k !== "span_id")
    .map(([k, v]) => `${k}=${prettyValue(v)}`)
    .join(" ");
  return `${t} ${tag} ${service.padEnd(12)} ${msg}${rest ? `  \x1b[2m${rest}\x1b[0m` : ""}`;
}

/** Structured logs, one line each, with the active trace id when there is one. */
export function createLogger(service: string, base: Record<string, unknown> = {}): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < rank[minLevel]) return;
    const ctx = trace.getSpanContext(context.active());
    const span = ctx && isSpanContextValid(ctx) ? ctx : undefined;
    const all = { ...base, ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}), ...fields };
    const out =
      format === "pretty"
        ? pretty(level, service, msg, all)
        : JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...all }, errorsAsObjects);
    const stream = level === "error" || level === "warn" ? process.stderr : process.stdout;
    if (statusLine !== undefined) process.stderr.write("\r\x1b[2K");
    stream.write(out + "\n");
    if (statusLine !== undefined) process.stderr.write(statusLine);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (f) => createLogger(service, { ...base, ...f }),
  };
}
