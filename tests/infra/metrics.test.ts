/**
 * Operators' queries name metrics the services export: the autoscaler's
 * (kustomize and Terraform) and every panel of the Grafana dashboard. And no
 * name is exported by two services, so a sum() over every scraped pod counts
 * each thing once.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { find, render } from "./lib/render";
import { OVERLAYS, repoPath } from "./lib/repo";
import { baseName, exportedMetrics, metricsInQuery } from "./lib/exported-metrics";
import { parse } from "@cdktf/hcl2json";
import { TERRAFORM } from "./lib/repo";
import { join } from "node:path";

const exported = await exportedMetrics();

describe("metrics operators query", () => {
  test("each metric name is exported by one service only (the process metrics once per process)", () => {
    const twice = [...exported]
      .filter(([, e]) => e.by.length > 1)
      .map(([n, e]) => `${n}: ${e.by.join(", ")}`);
    expect(twice).toEqual([]);
  });

  test("the synth autoscaler sums the synth workers' own queues, in every overlay and in Terraform", async () => {
    expect(exported.get("kokoro_synth_queue_depth")).toEqual({ by: ["synth"], type: "gauge" });
    const queries = OVERLAYS.map(
      (o) => find(render(`overlays/${o}`), "ScaledObject", "synth").spec.triggers[0].metadata.query as string,
    );
    const main = await parse("main.tf", readFileSync(join(TERRAFORM, "main.tf"), "utf8"));
    const tf = main.resource.kubernetes_manifest.synth_scaledobject[0].manifest.spec.triggers[0].metadata
      .query as string;
    for (const q of [...queries, tf]) {
      expect(q).toMatch(/^sum\(kokoro_synth_queue_depth\{namespace=/);
      for (const name of metricsInQuery(q)) expect(exported.has(baseName(name, exported))).toBe(true);
    }
  });

  const dashboard = JSON.parse(readFileSync(repoPath("infra/grafana/kokoro-edge.json"), "utf8"));
  const targets: { panel: string; expr: string }[] = dashboard.panels.flatMap((p: any) =>
    p.targets.map((t: any) => ({ panel: p.title, expr: t.expr })),
  );

  test("the Grafana dashboard has panels with queries", () => {
    expect(targets.length).toBeGreaterThan(10);
    expect(new Set(dashboard.panels.map((p: any) => p.id)).size).toBe(dashboard.panels.length);
  });

  test("every dashboard query names metrics that exist, with the labels they carry", async () => {
    const missing: string[] = [];
    for (const { panel, expr } of targets) {
      const names = metricsInQuery(expr);
      if (names.length === 0) missing.push(`${panel}: no metric in ${expr}`);
      for (const n of names) if (!exported.has(baseName(n, exported))) missing.push(`${panel}: ${n}`);
    }
    expect(missing).toEqual([]);
  });

  test("a query grouping by a service label groups by a label that metric has", async () => {
    // the labels each family declares (pod and namespace come from the scrape)
    const { GatewayMetrics } = await import("../../services/gateway/src/metrics");
    const json = await new GatewayMetrics().registry.getMetricsAsJSON();
    const ttfa = json.find((m) => m.name === "kokoro_ttfa_seconds");
    expect(ttfa).toBeDefined();
    for (const { expr } of targets.filter((t) => t.expr.includes("kokoro_ttfa_seconds"))) {
      for (const label of /by \(([^)]*)\)/
        .exec(expr)![1]!
        .split(",")
        .map((s) => s.trim()))
        expect(["le", "route", "format", "transport"]).toContain(label);
    }
  });
});
