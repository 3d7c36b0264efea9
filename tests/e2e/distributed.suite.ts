/**
 * Every service as its own process on real NATS and Postgres, each on the
 * runtime the caller places it on (Bun, or Deno through its deno.json task).
 * The synth worker gets the model and voices, and g2p the vocab, from the
 * model-mirror, which syncs them from a local upstream folder. The same
 * checks run whatever the placement: distributed.test.ts (all on Bun),
 * distributed-deno.test.ts (gateway, g2p and mirror on Deno) and
 * edge.test.ts (the gateway on Deno over NATS WebSocket).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contracts } from "@kokoro-edge/proto";
import { Bus, NatsTransport } from "@kokoro-edge/runtime";
import {
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  haveNats,
  havePostgres,
} from "@kokoro-edge/runtime/src/testing/services";
import { freePort, waitFor } from "../support/ports";
import { spawnService, stopAll, type Runtime, type ServiceProcess } from "../support/processes";
import { makeLocalUpstream } from "../support/upstream";
import { speechScenarios } from "./speech.scenarios";
import { startOtlpReceiver } from "../support/otlp-receiver";

export interface Placement {
  gateway: Runtime;
  g2p: Runtime;
  synth: Runtime;
  mirror: Runtime;
}

export interface NatsForSuite {
  /** What g2p, synth, the mirror and the test itself use (TCP). */
  url: string;
  /** What the gateway uses (default: `url`); a ws:// URL puts the gateway on NATS over WebSocket. */
  gatewayUrl?: string;
  stop?(): Promise<void>;
}

export interface DistributedOptions {
  /** Default: the shared test NATS (TEST_NATS_URL) for everything. */
  nats?: () => Promise<NatsForSuite>;
  /** More checks on the running stack (its gateway URL and processes). */
  more?: (stack: () => { url: string; procs: ServiceProcess[] }) => void;
}

export const ALL_ON_BUN: Placement = { gateway: "bun", g2p: "bun", synth: "bun", mirror: "bun" };

export async function distributedSuite(name: string, placement: Placement, opts: DistributedOptions = {}) {
  const enabled = (await haveNats()) && (await havePostgres());
  if (!enabled) {
    describe.skip(`speech end to end (${name})`, () => {});
    return;
  }
  let procs: ServiceProcess[] = [];
  let bus: Bus;
  let nats: NatsForSuite;
  let url = "";
  let mirrorUrl = "";
  let synthHealth = 0;
  let g2pHealthPort = 0;
  const otlp = startOtlpReceiver();

  beforeAll(async () => {
    nats = opts.nats ? await opts.nats() : { url: TEST_NATS_URL };
    const dir = mkdtempSync(join(tmpdir(), "ke-distributed-"));
    const upstream = makeLocalUpstream(join(dir, "upstream"), {
      voices: ["af_heart", "af_alloy", "af_bella", "af_sky", "bm_george"],
    });
    const [port, mirrorPort, g2pHealth, synthPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    synthHealth = synthPort;
    g2pHealthPort = g2pHealth;
    const common = {
      NATS_URL: nats.url,
      DATABASE_URL: TEST_DATABASE_URL,
      LOG_LEVEL: "warn",
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=e2e",
    };
    procs = [
      // The default MIRROR_REPOS, for the fp32 variant: the mirror fetches onnx/model.onnx, tokenizer.json and the voices,
      // and misaki's pinned lexicons; g2p and synth take everything from it.
      spawnService(
        "model-mirror",
        "services/model-mirror/src/main.ts",
        {
          ...common,
          DATA_DIR: join(dir, "mirror-data"),
          MIRROR_PORT: String(mirrorPort),
          MIRROR_UPSTREAMS: upstream,
          MIRROR_PINNED_UPSTREAMS: "none",
          KOKORO_DTYPE: "fp32",
        },
        placement.mirror,
      ),
      spawnService(
        "g2p",
        "services/g2p/src/main.ts",
        { ...common, DATA_DIR: join(dir, "g2p-data"), HEALTH_PORT: String(g2pHealth) },
        placement.g2p,
      ),
      spawnService(
        "synth",
        "services/synth/src/main.ts",
        {
          ...common,
          DATA_DIR: join(dir, "synth-data"),
          HEALTH_PORT: String(synthPort),
          KOKORO_DTYPE: "fp32",
        },
        placement.synth,
      ),
      spawnService(
        "gateway",
        "services/gateway/src/main.ts",
        {
          ...common,
          NATS_URL: nats.gatewayUrl ?? nats.url,
          DATA_DIR: join(dir, "gw-data"),
          PORT: String(port),
          HOST: "127.0.0.1",
          API_KEYS_REQUIRED: "false",
        },
        placement.gateway,
      ),
    ];
    url = `http://127.0.0.1:${port}`;
    mirrorUrl = `http://127.0.0.1:${mirrorPort}`;
    bus = new Bus(await NatsTransport.connect(nats.url, "e2e-test"));
    try {
      await waitFor(
        "the gateway to say ready",
        async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
        90_000,
        250,
      );
    } catch (err) {
      for (const p of procs)
        console.error(`--- ${p.name} on ${p.runtime} (exit ${p.proc.exitCode})\n${p.output()}`);
      throw err;
    }
  }, 120_000);

  afterAll(async () => {
    await bus?.close();
    await stopAll(procs);
    await nats?.stop?.();
    otlp.stop();
  });

  test(`${name}: the real repo layout through the mirror: synth loads the KOKORO_DTYPE variant, g2p reads tokenizer.json and misaki's lexicons`, async () => {
    const res = await fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "kokoro",
        input: "Layout check.",
        voice: "af_heart",
        response_format: "pcm",
      }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(res.headers.get("x-kokoro-engine")).toBe("kokoro");
    expect(res.headers.get("x-kokoro-model")).toContain(
      "onnx-community/Kokoro-82M-v1.0-ONNX/onnx/model.onnx@",
    );
    const g2p = await waitFor(
      "g2p to load the vocab and the lexicons from the mirror",
      async () => {
        const r = (await (await fetch(`http://127.0.0.1:${g2pHealthPort}/readyz`)).json()) as {
          detail: string;
        };
        return r.detail.includes("tokenizer.json") && r.detail.includes("us_gold.json")
          ? r.detail
          : undefined;
      },
      30_000,
      250,
    );
    expect(g2p).toContain("vocab from mirror onnx-community/Kokoro-82M-v1.0-ONNX@");
  });

  test(`${name}: one trace per request, with spans from gateway, g2p and synth, carried in NATS headers`, async () => {
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const res = await fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${"1".repeat(16)}-01` },
      body: JSON.stringify({
        model: "kokoro",
        input: "Tracing, end to end.",
        voice: "af_bella",
        response_format: "pcm",
      }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const services = await waitFor(
      "spans from every service",
      async () => {
        const mine = otlp.spans.filter((s) => s.traceId === traceId);
        const names = new Set(mine.map((s) => s.service));
        // the gateway's request span ends last, with the body: wait for it too
        return ["gateway", "g2p", "synth"].every((n) => names.has(n)) &&
          mine.some((s) => s.name === "POST /v1/audio/speech")
          ? mine
          : undefined;
      },
      10_000,
      200,
    );
    const byService = (n: string) => services.filter((s) => s.service === n).map((s) => s.name);
    expect(byService("gateway")).toContain("POST /v1/audio/speech");
    expect(byService("g2p")).toContain("ke.v1.g2p.phonemize handle");
    expect(byService("synth")).toContain("ke.v1.synth.stream produce");
    // Every span but the root has its parent inside the same trace (no broken links across processes).
    const ids = new Set(services.map((s) => s.spanId));
    for (const s of services)
      if (s.parentSpanId && s.parentSpanId !== "1".repeat(16)) expect(ids.has(s.parentSpanId)).toBe(true);
    // The operator's resource attributes are on every service's spans.
    for (const s of services) expect(s.resource["deployment.environment.name"]).toBe("e2e");
  });

  test(`${name}: the request's span lasts until its audio has been sent; database queries are spans under the request's`, async () => {
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const res = await fetch(`${url}/v1/audio/speech`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${"2".repeat(16)}-01` },
      // several chunks, so the stream outlives the handler by the later chunks' inference
      body: JSON.stringify({
        model: "kokoro",
        input:
          "The first sentence is short. The second sentence is a good deal longer than the first one was, and the third comes after it, so that the stream has several chunks.",
        voice: "af_bella",
        response_format: "pcm",
      }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const spans = await waitFor(
      "the gateway's request span and the synth's spans",
      async () => {
        const mine = otlp.spans.filter((s) => s.traceId === traceId);
        const server = mine.find((s) => s.service === "gateway" && s.name === "POST /v1/audio/speech");
        return server && mine.filter((s) => s.service === "synth").length ? mine : undefined;
      },
      20_000,
      200,
    );
    const server = spans.find((s) => s.service === "gateway" && s.name === "POST /v1/audio/speech")!;
    const lastSynth = spans
      .filter((s) => s.service === "synth")
      .reduce((a, b) => (a.endNs > b.endNs ? a : b));
    expect(server.endNs).toBeGreaterThanOrEqual(lastSynth.endNs);
    expect(server.attributes["kokoro.body.outcome"]).toBe("complete");
    expect(Number(server.attributes["kokoro.body.bytes"])).toBeGreaterThan(0);

    // A request that reads the database in its handler: the query is a span under the request's.
    const jobTrace = crypto.randomUUID().replaceAll("-", "");
    expect(
      (
        await fetch(`${url}/v1/jobs/job_${"0".repeat(32)}`, {
          headers: { traceparent: `00-${jobTrace}-${"4".repeat(16)}-01` },
        })
      ).status,
    ).toBe(404);
    const jobSpans = await waitFor(
      "the job lookup's database span",
      async () => {
        const mine = otlp.spans.filter((s) => s.traceId === jobTrace);
        return mine.some(
          (s) => s.scope === "database" && String(s.attributes["db.query.text"]).includes('from "jobs"'),
        ) && mine.some((s) => s.name === "GET /v1/jobs/:id")
          ? mine
          : undefined;
      },
      10_000,
      200,
    );
    const request = jobSpans.find((s) => s.name === "GET /v1/jobs/:id")!;
    // (the shared rate limit's query is in the trace too)
    const query = jobSpans.find(
      (s) => s.scope === "database" && String(s.attributes["db.query.text"]).includes('from "jobs"'),
    )!;
    expect(query.name).toBe("SELECT");
    expect(query.parentSpanId).toBe(request.spanId);
    expect(query.attributes["db.system.name"]).toBe("postgresql");
  });

  test(`${name}: the mirror's HTTP server continues a caller's trace`, async () => {
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const res = await fetch(`${mirrorUrl}/api/models/onnx-community/Kokoro-82M-v1.0-ONNX/revision/main`, {
      headers: { traceparent: `00-${traceId}-${"3".repeat(16)}-01` },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const [span] = await waitFor(
      "the mirror's server span",
      async () => {
        const mine = otlp.spans.filter((s) => s.traceId === traceId && s.service === "model-mirror");
        return mine.length ? mine : undefined;
      },
      10_000,
      200,
    );
    expect(span!.name).toBe("GET api_revision");
    expect(span!.parentSpanId).toBe("3".repeat(16));
    expect(span!.attributes["http.response.status_code"]).toBe(200);
  });

  opts.more?.(() => ({ url, procs }));

  speechScenarios(name, () => ({
    url,
    async g2pTokens(text, voice) {
      const r = await bus.requestJson(contracts.g2p.phonemize, { v: 1, text, voice });
      if ("error" in r) throw new Error(r.error.message);
      return r.chunks.flatMap((c) => c.tokens);
    },
    async synthInferences() {
      const text = await (await fetch(`http://127.0.0.1:${synthHealth}/metrics`)).text();
      return Number(/^kokoro_synth_inferences_total (\d+)/m.exec(text)?.[1] ?? NaN);
    },
  }));
}
