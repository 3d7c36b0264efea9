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

/** Structured JSON logs, one line each, with the active trace id when there is one. */
export function createLogger(service: string, base: Record<string, unknown> = {}): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < rank[minLevel]) return;
    const ctx = trace.getSpanContext(context.active());
    const span = ctx && isSpanContextValid(ctx) ? ctx : undefined;
    const line = {
      time: new Date().toISOString(),
      level,
      service,
      msg,
      ...base,
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      ...fields,
    };
    const out = JSON.stringify(line, (_k, v) => (v instanceof Error ? { message: v.message, name: v.name } : v));
    if (level === "error" || level === "warn") process.stderr.write(out + "\n");
    else process.stdout.write(out + "\n");
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (f) => createLogger(service, { ...base, ...f }),
  };
}
