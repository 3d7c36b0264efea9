/**
 * A CLIENT span for every database query, from the driver up: drizzle-orm's
 * own tracing is compiled out, so the drivers drizzle calls are wrapped
 * instead (postgres.js's `unsafe`, PGlite's `query`, and the clients they hand
 * to transactions). A span carries the parameterised SQL text and its
 * operation, never the parameters (they hold users' text and keys).
 */
import { context, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from "@opentelemetry/semantic-conventions";

const dbTracer = () => trace.getTracer("database");
const MAX_TEXT = 2000;

/** A query's span: named after its operation (SELECT, INSERT, ...), as the semantic conventions suggest. */
export function startQuerySpan(system: "postgresql" | "pglite", text: string): Span {
  const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "QUERY";
  return dbTracer().startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: system === "pglite" ? "postgresql" : system,
      "db.client": system,
      [ATTR_DB_OPERATION_NAME]: operation,
      [ATTR_DB_QUERY_TEXT]: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text,
    },
  });
}

function endQuerySpan(span: Span, err?: unknown) {
  if (err !== undefined) {
    span.recordException(err as Error);
    span.setAttribute(
      ATTR_ERROR_TYPE,
      String((err as { code?: string })?.code ?? (err as Error)?.name ?? "Error"),
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
  }
  span.end();
}

/** Run `fn` in a query span (for promise-returning drivers). */
async function inQuerySpan<T>(
  system: "postgresql" | "pglite",
  text: string,
  fn: () => Promise<T>,
): Promise<T> {
  const span = startQuerySpan(system, text);
  try {
    const out = await context.with(trace.setSpan(context.active(), span), fn);
    endQuerySpan(span);
    return out;
  } catch (err) {
    endQuerySpan(span, err);
    throw err;
  }
}

/**
 * postgres.js: `unsafe()` returns a lazy query that runs when awaited (and
 * `.values()` switches it to arrays first), so the span starts at the call and
 * ends when the awaiting `then` settles; calling `then` early would run it in
 * the wrong mode.
 */
export function tracePostgresJs<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "unsafe") {
        return (text: string, ...rest: unknown[]) => {
          const query = (value as (...a: unknown[]) => object).call(target, text, ...rest);
          const span = startQuerySpan("postgresql", text);
          return traceLazyQuery(query, span);
        };
      }
      if (prop === "begin" || prop === "savepoint") {
        // the transaction's own client runs the queries inside it
        return (...args: unknown[]) => {
          const i = args.findIndex((a) => typeof a === "function");
          if (i >= 0) {
            const fn = args[i] as (c: object) => unknown;
            args[i] = (c: object) => fn(tracePostgresJs(c));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value.bind(target);
    },
    apply(target, thisArg, args) {
      return Reflect.apply(target as (...a: unknown[]) => unknown, thisArg, args);
    },
  });
}

function traceLazyQuery(query: object, span: Span): object {
  let ended = false;
  const end = (err?: unknown) => {
    if (ended) return;
    ended = true;
    endQuerySpan(span, err);
  };
  const proxy: object = new Proxy(query, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "then" && typeof value === "function") {
        return (onOk?: (v: unknown) => unknown, onErr?: (e: unknown) => unknown) =>
          (value as (a: unknown, b: unknown) => Promise<unknown>).call(
            target,
            (v: unknown) => (end(), onOk ? onOk(v) : v),
            (e: unknown) => {
              end(e);
              if (onErr) return onErr(e);
              throw e;
            },
          );
      }
      if (typeof value !== "function") return value;
      // builder methods (values, raw, ...) return the query itself: keep the proxy
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out === target ? proxy : out;
      };
    },
  });
  return proxy;
}

/** PGlite: `query` and `exec` are plain promises; `transaction` hands its callback a client of its own. */
export function tracePglite<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "query" || prop === "exec") {
        return (text: string, ...rest: unknown[]) =>
          inQuerySpan("pglite", text, () =>
            (value as (...a: unknown[]) => Promise<unknown>).call(target, text, ...rest),
          );
      }
      if (prop === "transaction") {
        return (fn: (tx: object) => unknown) =>
          (value as (f: unknown) => unknown).call(target, (tx: object) => fn(tracePglite(tx)));
      }
      return value.bind(target);
    },
  });
}
