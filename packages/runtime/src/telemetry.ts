/**
 * OpenTelemetry set-up, once per process. Trace context always propagates
 * (W3C headers in NATS messages, AsyncLocalStorage in-process), so a request
 * keeps one trace across gateway -> g2p -> synth whether or not spans are
 * exported. Export: OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, or any
 * exporter a test passes in.
 */
import {
  context,
  propagation,
  trace,
  SpanKind,
  SpanStatusCode,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
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

/**
 * Span processors are held in one fan-out list, so the process has one
 * provider (one resource) and a later caller (a test's in-memory exporter)
 * can still add its own.
 */
class FanOutProcessor implements SpanProcessor {
  readonly processors: SpanProcessor[] = [];
  onStart(span: Parameters<SpanProcessor["onStart"]>[0], ctx: Parameters<SpanProcessor["onStart"]>[1]) {
    for (const p of this.processors) p.onStart(span, ctx);
  }
  onEnd(span: Parameters<SpanProcessor["onEnd"]>[0]) {
    for (const p of this.processors) p.onEnd(span);
  }
  async forceFlush() {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }
  async shutdown() {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
const fanOut = new FanOutProcessor();

/**
 * The process's resource: our service name, then what the operator set in
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (those win, as the spec says).
 */
export function processResource(serviceName: string) {
  return resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }).merge(
    detectResources({ detectors: [envDetector] }),
  );
}

export function setupTelemetry(opts: TelemetryOptions): Telemetry {
  ensureTraceContext();
  const added: SpanProcessor[] = [];
  if (opts.exporter) added.push(new SimpleSpanProcessor(opts.exporter));
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    added.push(new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 }));
  }
  fanOut.processors.push(...added);
  if (added.length && !provider) {
    provider = new BasicTracerProvider({
      resource: processResource(opts.serviceName),
      spanProcessors: [fanOut],
    });
    trace.setGlobalTracerProvider(provider);
  }
  return {
    flush: async () => void (await Promise.all(added.map((p) => p.forceFlush()))),
    shutdown: async () => {
      await Promise.all(added.map((p) => p.shutdown()));
      for (const p of added) fanOut.processors.splice(fanOut.processors.indexOf(p), 1);
    },
  };
}

export function tracer(name: string): Tracer {
  return trace.getTracer(name);
}

/** Run `fn` in a span that ends when it settles, recording errors. */
export async function inSpan<T>(
  t: Tracer,
  name: string,
  kind: SpanKind,
  attrs: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
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
