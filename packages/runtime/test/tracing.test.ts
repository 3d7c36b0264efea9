/**
 * Spans that cover the work: database queries on both drivers (inside
 * transactions too, with no parameters recorded), a streamed body's span ending
 * with the body, an outgoing fetch carrying the trace, and the operator's
 * OTEL_RESOURCE_ATTRIBUTES on the resource.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { apiKeys, openDatabase, type Database } from "../src/db";
import { endSpanWithBody, tracedFetch } from "../src/trace-http";
import { processResource, setupTelemetry, tracer } from "../src/telemetry";
import { TEST_DATABASE_URL, havePostgres } from "../src/testing/services";

// Another test file may have disabled the global propagator (bus.suite.ts cleans up that way).
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const exporter = new InMemorySpanExporter();
const telemetry = setupTelemetry({ serviceName: "tracing-test", exporter });
afterAll(() => telemetry.shutdown());
const SECRET = `secret-${Math.random().toString(36).slice(2)}`;
const spansIn = (traceId: string) =>
  exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

/** Run fn under a fresh root span; return that trace's finished spans. */
async function traced(fn: () => Promise<unknown>): Promise<{ root: ReadableSpan; spans: ReadableSpan[] }> {
  const t = tracer("test");
  const root = t.startSpan("root");
  await context.with(trace.setSpan(context.active(), root), fn);
  root.end();
  const spans = spansIn(root.spanContext().traceId);
  return { root: spans.find((s) => s.name === "root")!, spans };
}

function dbTracing(name: string, open: () => Promise<Database>) {
  describe(`database spans (${name})`, () => {
    let d: Database;
    beforeAll(async () => void (d = await open()));
    afterAll(() => d?.close());

    test("each query is a CLIENT span under the caller's, with its SQL text and operation, never its parameters", async () => {
      const { root, spans } = await traced(async () => {
        await d.db.execute(sql`select ${SECRET}::text as v`);
        await d.db.select().from(apiKeys).where(eq(apiKeys.name, SECRET));
      });
      const queries = spans.filter((s) => s.instrumentationScope.name === "database");
      expect(queries.map((s) => s.name)).toEqual(["SELECT", "SELECT"]);
      for (const q of queries) {
        expect(q.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
        expect(q.attributes["db.system.name"]).toBe("postgresql");
        expect(String(q.attributes["db.query.text"])).toMatch(/^select /i);
        expect(JSON.stringify(q.attributes)).not.toContain(SECRET);
      }
    });

    test("queries inside a transaction are traced too, and a failing query's span says it failed", async () => {
      const { spans } = await traced(async () => {
        await d.db.transaction(async (tx) => {
          await tx.select().from(apiKeys).where(eq(apiKeys.name, SECRET));
        });
        await d.db.execute(sql`select * from no_such_table_${sql.raw(String(Date.now()))}`).catch(() => {});
      });
      const queries = spans.filter((s) => s.instrumentationScope.name === "database");
      expect(queries.some((s) => String(s.attributes["db.query.text"]).includes('from "api_keys"'))).toBe(
        true,
      );
      const failed = queries.find((s) => String(s.attributes["db.query.text"]).includes("no_such_table"));
      expect(failed?.status.code).toBe(2); // ERROR
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "ke-tracing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
dbTracing("PGlite", () => openDatabase({ dataDir: dir }));
if (await havePostgres())
  dbTracing("Postgres", () => openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: dir }));

describe("HTTP spans", () => {
  const body = (n: number) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < n; i++) c.enqueue(new Uint8Array(10));
        c.close();
      },
    });

  test("a streamed response's span ends when its body has been read, with the bytes and the outcome", async () => {
    const span = tracer("test").startSpan("stream");
    const res = endSpanWithBody(new Response(body(3)), span);
    expect(spansIn(span.spanContext().traceId)).toHaveLength(0); // still open: nothing sent yet
    expect((await res.arrayBuffer()).byteLength).toBe(30);
    const [done] = spansIn(span.spanContext().traceId);
    expect(done!.attributes["kokoro.body.outcome"]).toBe("complete");
    expect(done!.attributes["kokoro.body.bytes"]).toBe(30);
  });

  test("a client that goes away ends the span as cancelled", async () => {
    const span = tracer("test").startSpan("stream");
    const res = endSpanWithBody(new Response(body(5)), span);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    const [done] = spansIn(span.spanContext().traceId);
    expect(done!.attributes["kokoro.body.outcome"]).toBe("cancelled");
  });

  test("an outgoing fetch is a CLIENT span that carries the trace to the server and ends after the body", async () => {
    let seen = "";
    const server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) => ((seen = req.headers.get("traceparent") ?? ""), new Response("hello")),
    });
    try {
      const f = tracedFetch(tracer("test"));
      const { root, spans: before } = await traced(async () => {
        const res = await f(`http://127.0.0.1:${server.port}/file?token=${SECRET}`);
        expect(await res.text()).toBe("hello");
      });
      const client = before.find((s) => s.name === "GET")!;
      expect(client.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(seen).toContain(client.spanContext().spanId);
      expect(client.attributes["http.response.status_code"]).toBe(200);
      expect(client.attributes["kokoro.body.outcome"]).toBe("complete");
      expect(String(client.attributes["url.full"])).not.toContain(SECRET); // no query string
    } finally {
      server.stop(true);
    }
  });
});

test("OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME reach the resource, over our default name", () => {
  const saved = { a: process.env.OTEL_RESOURCE_ATTRIBUTES, n: process.env.OTEL_SERVICE_NAME };
  try {
    process.env.OTEL_RESOURCE_ATTRIBUTES = "deployment.environment.name=staging,k8s.cluster.name=eu-1";
    delete process.env.OTEL_SERVICE_NAME;
    expect(processResource("gateway").attributes).toMatchObject({
      "service.name": "gateway",
      "deployment.environment.name": "staging",
      "k8s.cluster.name": "eu-1",
    });
    process.env.OTEL_SERVICE_NAME = "tts-gateway";
    expect(processResource("gateway").attributes["service.name"]).toBe("tts-gateway");
  } finally {
    for (const [k, v] of [
      ["OTEL_RESOURCE_ATTRIBUTES", saved.a],
      ["OTEL_SERVICE_NAME", saved.n],
    ] as const)
      v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
});
