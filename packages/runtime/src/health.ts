/**
 * /healthz, /readyz and /metrics for services whose main port is not HTTP
 * (g2p, synth), so Kubernetes probes hit real endpoints everywhere.
 */
import { listen } from "./http-server";
import { METRICS_CONTENT_TYPE } from "./metrics";

export interface Readiness {
  ready: boolean;
  /** Plain words: what is loaded, or why not ready. */
  detail: string;
  checks?: Record<string, { ok: boolean; detail: string }>;
}

export interface HealthServerOptions {
  port: number;
  service: string;
  readiness: () => Promise<Readiness> | Readiness;
  /** Prometheus text exposition (see `exposition` in metrics.ts). */
  metrics?: () => Promise<string>;
  hostname?: string;
}

export async function healthResponse(
  path: string,
  r: Readiness | undefined,
  metrics?: () => Promise<string>,
): Promise<Response | undefined> {
  if (path === "/healthz") return Response.json({ status: "ok" });
  if (path === "/readyz" && r)
    return Response.json({ status: r.ready ? "ready" : "not_ready", ...r }, { status: r.ready ? 200 : 503 });
  if (path === "/metrics" && metrics)
    return new Response(await metrics(), { headers: { "content-type": METRICS_CONTENT_TYPE } });
  return undefined;
}

export function startHealthServer(opts: HealthServerOptions): { port: number; stop(): void } {
  const server = listen({
    port: opts.port,
    hostname: opts.hostname ?? "0.0.0.0",
    portVariable: "HEALTH_PORT",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const r = path === "/readyz" ? await opts.readiness() : undefined;
      return (
        (await healthResponse(path, r, opts.metrics)) ??
        Response.json(
          { error: { message: `no route ${path}`, type: "invalid_request_error", code: "not_found" } },
          { status: 404 },
        )
      );
    },
  });
  return { port: server.port, stop: () => void Promise.resolve(server.stop(true)).catch(() => {}) };
}
