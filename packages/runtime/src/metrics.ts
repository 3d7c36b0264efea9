/**
 * Metrics through prom-client, the library operators' other Node services use:
 * the exposition format, escaping and histogram maths are its, not ours.
 *
 * Each service keeps its families in its own Registry. The process's own
 * metrics (RSS, heap, event-loop lag, GC where the runtime reports it, open
 * files) live in one process-wide registry, so a process that hosts several
 * services (the one-process stack) exports them once: `exposition()` merges
 * the process registry with the services' registries into one /metrics body.
 *
 * Runtimes: on Bun and Deno prom-client's default metrics work except GC
 * durations, which need a PerformanceObserver for "gc" entries that neither
 * provides; `nodejs_gc_duration_seconds` is then simply absent.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from "prom-client";

export { Counter, Gauge, Histogram, Registry };
export type Labels = Record<string, string>;

/** The content type of the Prometheus text format prom-client writes. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | undefined;

/** Process and runtime metrics, collected once per process however many services it runs. */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

/** One /metrics body: the process's metrics, then each service's registry. */
export async function exposition(...registries: Registry[]): Promise<string> {
  return Registry.merge([processMetrics(), ...registries]).metrics();
}

/** A series' current value (counter or gauge), for tests and for readiness text. */
export async function valueOf(metric: Metric<string>, labels: Labels = {}): Promise<number> {
  const { values } = await metric.get();
  const want = Object.entries(labels);
  const hit = values.find(
    (v) =>
      want.every(([k, x]) => String((v.labels as Labels)[k]) === x) &&
      Object.keys(v.labels).length === want.length,
  );
  return hit?.value ?? 0;
}
