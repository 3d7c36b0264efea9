/**
 * Counters, gauges and histograms in the Prometheus text format, without a
 * client library (the format is small and stable). Every service renders its
 * own families on /metrics.
 */
export type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelKey = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(",");

/** A counter or gauge family: one value per label set. */
export class MetricFamily {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge",
  ) {}
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  set(labels: Labels, v: number) {
    this.values.set(labelKey(labels), v);
  }
  get(labels: Labels = {}) {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
    return lines.join("\n");
  }
}

/** A histogram without labels (cumulative buckets, sum, count). */
export class Histogram {
  private counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number) {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
  render(): string {
    const n = this.name;
    return [
      `# HELP ${n} ${this.help}`,
      `# TYPE ${n} histogram`,
      ...this.buckets.map((b, i) => `${n}_bucket{le="${b}"} ${this.counts[i]}`),
      `${n}_bucket{le="+Inf"} ${this.count}`,
      `${n}_sum ${this.sum.toFixed(6)}`,
      `${n}_count ${this.count}`,
    ].join("\n");
  }
}

export const renderMetrics = (families: { render(): string }[]) => families.map((f) => f.render()).join("\n") + "\n";
