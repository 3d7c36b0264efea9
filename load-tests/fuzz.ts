/**
 * The fuzz run (issue 20): thousands of hostile and careless requests over
 * every route of the gateway and the mirror (load-tests/fuzz-cases.ts), on
 * the separate-process setup with real NATS and Postgres. It reports the
 * responses by status class, every 5xx with the request that caused it, and
 * whether the gateway process ever exited. The goal is 0 5xx.
 *
 *   TEST_NATS_URL=nats://127.0.0.1:4222 TEST_DATABASE_URL=postgres://... \
 *     bun load-tests/fuzz.ts [--requests 10000] [--concurrency 8] [--seed 1]
 *
 * `runFuzz` is also used by a short CI test (tests/e2e/fuzz-sample.test.ts).
 */
import { fuzzRequest, type FuzzRequest } from "./fuzz-cases";

export interface FuzzTarget {
  gatewayUrl: string;
  mirrorUrl: string;
  key: string;
  adminToken: string;
}

export interface FuzzReport {
  requests: number;
  seed: number;
  byClass: Record<"1xx" | "2xx" | "3xx" | "4xx" | "5xx" | "no_response", number>;
  byStatus: Record<string, number>;
  /** Up to 20 requests that got a 5xx, with the answer's first bytes. */
  serverErrors: Array<{ i: number; status: number; method: string; path: string; body: string }>;
  /** Up to 20 requests that got no response at all, and why. */
  noResponse: Array<{ i: number; method: string; path: string; error: string }>;
  /** /readyz answers 503 (not ready: a replica did not answer its status ping in time); also counted in 5xx. */
  readyzNotReady: number;
  seconds: number;
}

/** Read at most `max` bytes of a body (streams of audio are cut short), as text for the report. */
async function readSome(res: Response, max = 256 * 1024): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let text = "";
  let n = 0;
  try {
    while (n < max) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
      if (text.length < 2000) text += dec.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

/** Methods fetch sends as they are; others (lowercase, unknown) go over a raw socket, as a hand-written client would send them. */
const FETCH_METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);

async function send(t: FuzzTarget, req: FuzzRequest): Promise<Response> {
  const base = req.target === "gateway" ? t.gatewayUrl : t.mirrorUrl;
  if (!FETCH_METHODS.has(req.method)) return sendRaw(base, req);
  return fetch(base + req.path, {
    method: req.method,
    headers: req.headers,
    body: req.body as BodyInit | undefined,
    signal: AbortSignal.timeout(20_000),
    redirect: "manual",
  });
}

/** One HTTP/1.1 request written by hand on its own connection; the answer's status line and body, or a rejection when the server closes without one. */
async function sendRaw(base: string, req: FuzzRequest): Promise<Response> {
  const url = new URL(base);
  const body =
    typeof req.body === "string" ? new TextEncoder().encode(req.body) : (req.body ?? new Uint8Array(0));
  const head = [
    `${req.method} ${req.path} HTTP/1.1`,
    `host: ${url.host}`,
    "connection: close",
    ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, "")}`),
    `content-length: ${body.byteLength}`,
    "",
    "",
  ].join("\r\n");
  const chunks: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("raw request timed out")), 20_000);
    void Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: {
        open(s) {
          s.write(head);
          s.write(body);
        },
        data(_s, d) {
          chunks.push(new Uint8Array(d));
        },
        close() {
          clearTimeout(timer);
          resolve();
        },
        error(_s, err) {
          clearTimeout(timer);
          reject(err);
        },
      },
    }).catch(reject);
  });
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!m) throw new Error(`the server closed the connection without a response (${req.method})`);
  return new Response(text.slice(text.indexOf("\r\n\r\n") + 4), {
    status: Number(m[1]) === 101 ? 200 : Number(m[1]),
  });
}

/** Some real job ids of this key, so job routes are reached with ids that exist. */
async function someJobs(t: FuzzTarget): Promise<string[]> {
  const ids: string[] = [];
  for (const input of ["fuzz job one", "fuzz job two"]) {
    const res = await fetch(`${t.gatewayUrl}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" },
      body: JSON.stringify({ input }),
    });
    if (res.ok) ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

export async function runFuzz(
  t: FuzzTarget,
  opts: { requests: number; concurrency?: number; seed?: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const seed = opts.seed ?? 1;
  const report: FuzzReport = {
    requests: opts.requests,
    seed,
    byClass: { "1xx": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, no_response: 0 },
    byStatus: {},
    serverErrors: [],
    noResponse: [],
    readyzNotReady: 0,
    seconds: 0,
  };
  const t0 = performance.now();
  const jobIds = await someJobs(t);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= opts.requests) return;
      const req = fuzzRequest(seed, i, t.key, t.adminToken, jobIds);
      try {
        const res = await send(t, req);
        const body = await readSome(res).catch((err: Error) => `(body failed: ${err.message})`);
        const cls = `${Math.floor(res.status / 100)}xx` as keyof FuzzReport["byClass"];
        report.byClass[cls] = (report.byClass[cls] ?? 0) + 1;
        report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
        if (res.status === 503 && req.path.startsWith("/readyz")) report.readyzNotReady++;
        if (res.status >= 500 && report.serverErrors.length < 20)
          report.serverErrors.push({
            i,
            status: res.status,
            method: req.method,
            path: `${req.target}:${req.path.slice(0, 120)}`,
            body: body.slice(0, 300),
          });
      } catch (err) {
        report.byClass.no_response++;
        if (report.noResponse.length < 20)
          report.noResponse.push({
            i,
            method: req.method,
            path: `${req.target}:${req.path.slice(0, 120)}`,
            error: (err as Error).message.slice(0, 200),
          });
      }
      if (i % 500 === 0) opts.onProgress?.(i);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  report.seconds = Math.round((performance.now() - t0) / 100) / 10;
  return report;
}

if (import.meta.main) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const { startSeparateStack } = await import("../tests/support/separate-stack");
  const stack = await startSeparateStack("fuzz", {
    RATE_LIMIT_RPM: "0",
    MAX_STREAMS_PER_KEY: "64",
    LOG_LEVEL: "error",
  });
  let exited: number | null = null;
  void stack.gateway.proc.exited.then((code) => (exited = code));
  try {
    const report = await runFuzz(
      { gatewayUrl: stack.url, mirrorUrl: stack.mirrorUrl, key: stack.key, adminToken: stack.adminToken },
      {
        requests: arg("requests", 10_000),
        concurrency: arg("concurrency", 8),
        seed: arg("seed", 1),
        onProgress: (n) => process.stderr.write(`${n} `),
      },
    );
    const alive = (await fetch(`${stack.url}/healthz`).catch(() => undefined))?.status === 200;
    console.log(
      JSON.stringify(
        { ...report, gatewayExited: exited !== null, gatewayExitCode: exited, gatewayAnswersAfter: alive },
        null,
        2,
      ),
    );
    if (report.byClass["5xx"] > 0 || exited !== null || !alive) {
      console.error(`--- gateway log (tail)\n${stack.gateway.output().slice(-6000)}`);
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}
