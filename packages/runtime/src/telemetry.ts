/**
 * OpenTelemetry set-up, once per process. Trace context always propagates
 * (W3C headers in NATS messages, AsyncLocalStorage in-process), so a request
 * keeps one trace across gateway -> g2p -> synth whether or not spans are
 * exported. Export: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, or any
 * exporter a test passes in.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";

let contextReady = false;
let provider: BasicTracerProvider | undefined;

/** Context manager and propagator: needed for propagation even without export. */
export function ensureTraceContext() {
  if (contextReady) return;
  contextReady = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (e.g. http://collector:4318); traces go to {endpoint}/v1/traces. */
  otlpEndpoint?: string;
  /** Tests: an in-memory exporter; spans are exported synchronously. */
  exporter?: SpanExporter;
}

export interface Telemetry {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function setupTelemetry(opts: TelemetryOptions): Telemetry {
  ensureTraceContext();
  const processors: SpanProcessor[] = [];
  if (opts.exporter) processors.push(new SimpleSpanProcessor(opts.exporter));
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 }));
  }
  if (processors.length && !provider) {
    provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": opts.serviceName }), spanProcessors: processors });
    trace.setGlobalTracerProvider(provider);
  }
  return {
    flush: async () => void (await provider?.forceFlush()),
    shutdown: async () => void (await provider?.shutdown()),
  };
}

export function tracer(name: string): Tracer {
  return trace.getTracer(name);
}

/** Run `fn` in a span that ends when it settles, recording errors. */
export async function inSpan<T>(t: Tracer, name: string, kind: SpanKind, attrs: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  return t.startActiveSpan(name, { kind, attributes: attrs }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
