/**
 * The metric names the services really export: each service's metrics class
 * is built and its registry read (with the process registry every /metrics
 * body carries), so a query checked against this list names a series that
 * exists, not one a test wrote down.
 */
import { processMetrics, type Registry } from "@kokoro-edge/runtime";
import { GatewayMetrics } from "../../../services/gateway/src/metrics";
import { G2pMetrics } from "../../../services/g2p/src/metrics";
import { MirrorMetrics } from "../../../services/model-mirror/src/metrics";
import { SynthMetrics } from "../../../services/synth/src/metrics";
import { DeadlineScheduler } from "../../../services/synth/src/scheduler";

export type Exporter = "gateway" | "g2p" | "synth" | "model-mirror" | "process";

async function namesOf(registry: Registry): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const m of await registry.getMetricsAsJSON()) out.set(m.name, String(m.type));
  return out;
}

/** Metric name -> who exports it and its type. Histograms also answer to _bucket, _sum and _count. */
export async function exportedMetrics(): Promise<Map<string, { by: Exporter[]; type: string }>> {
  const registries: [Exporter, Registry][] = [
    ["gateway", new GatewayMetrics().registry],
    ["g2p", new G2pMetrics().registry],
    ["synth", new SynthMetrics(new DeadlineScheduler({ concurrency: 1 })).registry],
    ["model-mirror", new MirrorMetrics().registry],
    ["process", processMetrics()],
  ];
  const all = new Map<string, { by: Exporter[]; type: string }>();
  for (const [who, reg] of registries) {
    for (const [name, type] of await namesOf(reg)) {
      const e = all.get(name) ?? { by: [], type };
      e.by.push(who);
      all.set(name, e);
    }
  }
  return all;
}

/** The metric names a PromQL expression reads (identifiers followed by `{`, or standing alone before an operator). */
export function metricsInQuery(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = new Set<string>();
  for (const m of noStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) names.add(m[1]!);
  return [...names];
}

/** A series name as exported: a histogram's _bucket/_sum/_count resolve to the histogram. */
export function baseName(series: string, exported: Map<string, unknown>): string {
  if (exported.has(series)) return series;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  return m && exported.has(m[1]!) ? m[1]! : series;
}
