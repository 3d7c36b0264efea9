import { Hono } from "hono";
import { contracts, Ping, ServiceStatus, subjects } from "@kokoro-edge/proto";
import { METRICS_CONTENT_TYPE, exposition, withDeadline } from "@kokoro-edge/runtime";
import type { GatewayDeps } from "../deps";

interface Check {
  ok: boolean;
  detail: string;
}

/** Every synth replica's status (scatter-gather); refreshes the synth gauges on the way. */
async function synthStatus(deps: GatewayDeps): Promise<ServiceStatus[]> {
  const synth = await deps.bus
    .gatherJson(contracts.synth.status, { v: 1 } satisfies Ping, 300)
    .catch(() => [] as ServiceStatus[]);
  deps.metrics.synthReplicasReady = synth.filter((s) => s.ready).length;
  deps.metrics.synthQueueDepth = synth.reduce((n, s) => n + (s.queue_depth ?? 0), 0);
  return synth;
}

const DB_PING_TIMEOUT_MS = 1_000;

/**
 * A replica busy with a long request may miss one 300 ms status ping: it
 * counts as present while it answered one within this window, so /readyz does
 * not flap to 503 under load (found by the fuzz run: a g2p phonemizing a long
 * text). A replica that stopped is gone from the answer after this long. After
 * the bus reconnects, only what was heard since counts.
 */
export const REPLICA_GRACE_MS = 10_000;

/** The last status each replica sent, per subject (one map per gateway). */
const seen = new WeakMap<GatewayDeps, Map<string, { status: ServiceStatus; at: number }>>();

function withRecent(deps: GatewayDeps, subject: string, now: ServiceStatus[]): ServiceStatus[] {
  let m = seen.get(deps);
  if (!m) seen.set(deps, (m = new Map()));
  const t = Date.now();
  for (const st of now) m.set(`${subject} ${st.instance}`, { status: st, at: t });
  const out = [...now];
  // Heard before this gateway's bus connection came back: that replica may not have reconnected yet.
  const since = deps.bus.connectedSince();
  for (const [k, v] of m) {
    if (t - v.at > REPLICA_GRACE_MS || v.at < since) m.delete(k);
    else if (k.startsWith(`${subject} `) && !now.some((x) => x.instance === v.status.instance))
      out.push(v.status);
  }
  return out;
}

/** What the platform can do right now: bus, database, g2p, and at least one synth replica with a model. */
export async function readiness(
  deps: GatewayDeps,
): Promise<{ ready: boolean; detail: string; checks: Record<string, Check> }> {
  const checks: Record<string, Check> = {};
  const busUp = deps.bus.isConnected();
  checks.bus = busUp
    ? { ok: true, detail: `${deps.bus.kind} bus connected` }
    : { ok: false, detail: "the message bus (NATS) is down: speech requests get 503 until it is back" };
  if (deps.dbPing) {
    // an unreachable database must not hang readiness: a second is plenty for `select 1`
    const ok = await withDeadline(deps.dbPing(), DB_PING_TIMEOUT_MS).catch(() => false);
    checks.database = {
      ok,
      detail: ok
        ? "database reachable"
        : `database unreachable (no answer to a ping within ${DB_PING_TIMEOUT_MS} ms)`,
    };
  }
  if (deps.limits) {
    const mode = deps.limits.mode();
    // not a readiness failure: limits still hold per replica
    checks.limits = {
      ok: true,
      detail:
        mode === "shared"
          ? "limits shared by every replica (Postgres)"
          : mode === "memory"
            ? "limits in this gateway's memory (one gateway)"
            : "limits in this replica's memory only: the shared store (Postgres) did not answer",
    };
  }
  if (!busUp) {
    // Without the bus no service can answer: say what is wrong, not that every service is missing.
    return {
      ready: false,
      detail: Object.entries(checks)
        .filter(([, c]) => !c.ok)
        .map(([k, c]) => `${k}: ${c.detail}`)
        .join("; "),
      checks,
    };
  }
  const [synthNow, g2pNow, mirror] = await Promise.all([
    synthStatus(deps),
    deps.bus
      .gatherJson(contracts.g2p.status, { v: 1 } satisfies Ping, 300)
      .catch(() => [] as ServiceStatus[]),
    deps.bus.gatherJson(contracts.mirror.status, { v: 1 } satisfies Ping, 300).catch(() => []),
  ]);
  const synth = withRecent(deps, subjects.synth.status, synthNow);
  const g2p = withRecent(deps, subjects.g2p.status, g2pNow);
  const readySynth = synth.filter((s) => s.ready);
  checks.synth = readySynth.length
    ? {
        ok: true,
        detail: `${readySynth.length} synth replica(s) ready: ${readySynth.map((s) => `${s.instance} (${s.detail})`).join("; ")}`,
      }
    : {
        ok: false,
        detail: synth.length
          ? `no synth replica has a model loaded: ${synth.map((s) => `${s.instance}: ${s.detail}`).join("; ")}`
          : "no synth replica is running",
      };
  const readyG2p = g2p.filter((s) => s.ready);
  checks.g2p = readyG2p.length
    ? {
        ok: true,
        detail: `${readyG2p.length} g2p replica(s) ready: ${readyG2p.map((s) => `${s.instance} (${s.detail})`).join("; ")}`,
      }
    : {
        ok: false,
        detail: g2p.length
          ? `g2p not ready: ${g2p.map((s) => s.detail).join("; ")}`
          : "no g2p replica is running",
      };
  const failing = Object.entries(checks).filter(([, c]) => !c.ok);
  // The mirror does not decide readiness (a model may come from KOKORO_MODEL), but
  // while it downloads or fails, that is what a person waiting wants to read.
  const m = mirror[0];
  if (m) checks.mirror = { ok: m.ready, detail: m.detail };
  const notes = m && !m.ready ? [`mirror: ${m.detail}`] : [];
  if (deps.limits?.mode() === "memory-fallback") notes.push(`limits: ${checks.limits!.detail}`);
  // Ready on a stand-in engine (the espeak-ng fallback while the model downloads) is worth saying.
  const fallback =
    readySynth.filter((s) => s.engine === "espeak").length === readySynth.length && readySynth.length > 0
      ? ["speaking with the espeak-ng fallback until a Kokoro model is loaded"]
      : [];
  return {
    ready: failing.length === 0,
    detail: failing.length
      ? [...failing.map(([k, c]) => `${k}: ${c.detail}`), ...notes].join("; ")
      : ["ready", ...fallback, ...notes].join("; "),
    checks,
  };
}

export function healthRoutes(deps: GatewayDeps) {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const r = await readiness(deps);
    return c.json({ status: r.ready ? "ready" : "not_ready", ...r }, r.ready ? 200 : 503);
  });
  // Each scrape asks the synth replicas for their queues, so the gauge KEDA scales on is never stale.
  app.get("/metrics", async (c) => {
    await synthStatus(deps);
    return c.text(await exposition(deps.metrics.registry, ...(deps.moreMetrics ?? [])), 200, {
      "content-type": METRICS_CONTENT_TYPE,
    });
  });
  return app;
}
