/**
 * Memory benchmarks (issue 23): resident memory of each service, measured on real processes.
 *
 *   bun bench/memory-bench.ts [--only synth,stack,g2p] [--requests 1000] [--sizes 90,326]
 *
 * synth  a synth worker (its own process, on NATS) with a sized fixture model of M MB loaded and warm
 *        (10 streams), with and without the first-chunk lane (SYNTH_FIRST_CHUNK_LANE); also its time to
 *        ready (process start to a ready status) and the engine's load time.
 * stack  the one-process stack (`npm start`'s services/all-in-one.ts) on the fixture: idle after warm-up,
 *        and after N mixed requests (speech WAV and MP3, SSE, subtitles), with the growth in percent.
 * g2p    the g2p service with both dialects' lexicons loaded (G2P_PRELOAD=en-us,en-gb).
 *
 * RSS is read from /proc/<pid>/status (VmRSS) of the service's process. Figures are from one run,
 * side by side: the machine is shared and noisy, so compare within a run.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureFixtureModel } from "@kokoro-edge/fixture-model";
import { contracts } from "@kokoro-edge/proto";
import { Bus, NatsTransport } from "@kokoro-edge/runtime";
import { kokoroConfig, lexiconDir, voicesDir } from "../tests/support/paths";
import { freePort, waitFor } from "../tests/support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../tests/support/processes";

const { values: args } = parseArgs({
  options: {
    only: { type: "string", default: "synth,stack,g2p" },
    requests: { type: "string", default: "1000" },
    sizes: { type: "string", default: "90,326" },
    nats: { type: "string", default: process.env.NATS_URL ?? "nats://127.0.0.1:4222" },
  },
});
const only = new Set(args.only!.split(","));
const dir = mkdtempSync(join(tmpdir(), "ke-memory-bench-"));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const row = (label: string, fields: Record<string, string | number>) =>
  console.log(
    `${label.padEnd(44)} ${Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join("  ")}`,
  );

async function synthFigures() {
  const bus = new Bus(await NatsTransport.connect(args.nats!, "memory-bench"));
  console.log("\n(synth) a synth worker with a sized fixture model, warm after 10 streams");
  for (const mb of args.sizes!.split(",").map(Number)) {
    const model = ensureFixtureModel(join(dir, "models"), { weightsMb: mb });
    // The first start with shared weights saves the ORT-format copy; the second finds it.
    const setups = [
      { lane: true, shared: true, start: "first start" },
      { lane: true, shared: true, start: "copy reused" },
      { lane: true, shared: false, start: "" },
      { lane: false, shared: true, start: "copy reused" },
    ];
    for (const [n, { lane, shared, start }] of setups.entries()) {
      const id = `memory-bench-${mb}-${n}`;
      const t0 = performance.now();
      const proc = spawnService("synth", "services/synth/src/main.ts", {
        NATS_URL: args.nats!,
        KOKORO_MODEL: model,
        VOICES_DIR: voicesDir,
        HEALTH_PORT: String(await freePort()),
        SYNTH_FIRST_CHUNK_LANE: String(lane),
        SYNTH_SHARED_WEIGHTS: String(shared),
        INSTANCE_ID: id,
        LOG_LEVEL: "warn",
      });
      try {
        await waitFor(
          "synth ready",
          async () => {
            const all = await bus.gatherJson(contracts.synth.status, { v: 1 }, 200);
            return all.find((s) => s.instance.includes(id) && s.ready);
          },
          120_000,
          50,
        );
        const readyMs = performance.now() - t0;
        const loaded = rssMb(proc.proc.pid);
        for (let i = 0; i < 10; i++) {
          const reader = await bus.openStream(contracts.synth.stream, {
            v: 1,
            request_id: `${id}-${i}`,
            voice: "af_heart",
            speed: 1,
            chunks: [
              {
                index: 0,
                tokens: Array.from({ length: 30 }, (_, k) => 10 + ((k * 7 + i) % 150)),
                pause_after_s: 0.1,
              },
              {
                index: 1,
                tokens: Array.from({ length: 120 }, (_, k) => 10 + ((k * 5 + i) % 150)),
                pause_after_s: 0,
              },
            ],
          });
          for await (const _ of reader);
        }
        await new Promise((r) => setTimeout(r, 1_000)); // the worker's idle collection (SYNTH_IDLE_GC_MS)
        const warm = rssMb(proc.proc.pid);
        row(`M = ${mb} MB, lane ${lane ? "on " : "off"}, shared ${shared ? `on (${start})` : "off"}`, {
          "ready ms": Math.round(readyMs),
          "RSS loaded MB": loaded,
          "RSS warm MB": warm,
          "warm - M MB": warm - mb,
        });
      } finally {
        await stopAll([proc]);
      }
    }
  }
  await bus.close();
}

/** RSS (MB) of `pid` each second for `seconds` seconds. */
async function settle(pid: number, seconds = 30): Promise<number[]> {
  const series: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    series.push(rssMb(pid));
  }
  return series;
}

async function stackFigures() {
  const port = await freePort();
  const model = ensureFixtureModel(join(dir, "models"), {});
  const proc = spawnService("stack", "services/all-in-one.ts", {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: join(dir, "stack-data"),
    KOKORO_MODEL: model,
    VOICES_DIR: voicesDir,
    KOKORO_CONFIG: kokoroConfig,
    LEXICON_DIR: lexiconDir,
    MIRROR_REPOS: "",
    LOG_LEVEL: "warn",
    NATS_URL: "",
    DATABASE_URL: "",
    ...(process.env.SYNTH_CACHE ? { SYNTH_CACHE: process.env.SYNTH_CACHE } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      "stack ready",
      async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined),
      120_000,
      200,
    );
    const speech = (body: object) =>
      fetch(`${url}/v1/audio/speech`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "kokoro", voice: "af_heart", ...body }),
      }).then((r) => r.arrayBuffer());
    const srt = (i: number) =>
      `1\n00:00:00,000 --> 00:00:02,000\nCue ${i} says hello.\n\n2\n00:00:02,500 --> 00:00:04,000\nAnd goodbye, ${i}.\n`;
    const kinds = [
      (i: number) => speech({ input: `Request number ${i}: the quick brown fox.`, response_format: "wav" }),
      (i: number) => speech({ input: `An MP3 for request ${i}, please.`, response_format: "mp3" }),
      (i: number) =>
        speech({ input: `Streaming events for ${i}.`, response_format: "pcm", stream_format: "sse" }),
      (i: number) =>
        fetch(`${url}/v1/audio/subtitles`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ document: srt(i), response_format: "wav" }),
        }).then((r) => r.arrayBuffer()),
    ];
    /** Requests [from, to) of the mix, 4 at a time (as the measured run sends them). */
    const run = async (from: number, to: number) => {
      let next = from;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < to) {
            const i = next++;
            await kinds[i % kinds.length]!(i);
          }
        }),
      );
    };
    // Warm-up: each kind once alone, then a round at the measured concurrency, so what is made once
    // per process for four streams at a time (encoders, inference threads' buffers, the JIT's code) is
    // in the idle figure and the growth is what requests leave behind.
    for (let i = 0; i < 20; i++) await kinds[i % kinds.length]!(i);
    await run(20, 60);
    const idle = (await settle(proc.proc.pid)).at(-1)!; // measured as the figure after the run is
    const n = Number(args.requests);
    const t0 = performance.now();
    const marks: number[] = [];
    for (let q = 1; q <= 4; q++) {
      await run(1_000 + ((q - 1) * n) / 4, 1_000 + (q * n) / 4);
      marks.push(rssMb(proc.proc.pid));
    }
    const s = (performance.now() - t0) / 1000;
    // Freed memory goes back to the system in steps after the load ends (the synth's idle collection
    // and C-heap trim at once, the JavaScript heaps' scavenging within ~10 s): RSS each second for 30 s,
    // and the figure is the last.
    const settling = await settle(proc.proc.pid);
    const after = settling.at(-1)!;
    console.log(`RSS MB after each quarter of the ${n} requests: ${marks.join(", ")}`);
    console.log(`RSS MB each second after the last request: ${settling.join(" ")}`);
    console.log("\n(stack) the one-process stack on the fixture (services/all-in-one.ts)");
    row("idle after 20 warm-up requests", { "RSS MB": idle });
    row(`after ${n} mixed requests (${s.toFixed(0)} s, 4 at a time)`, {
      "RSS MB": after,
      growth: `${(((after - idle) / idle) * 100).toFixed(1)} %`,
    });
  } finally {
    await stopAll([proc]);
  }
}

async function g2pFigures() {
  const bus = new Bus(await NatsTransport.connect(args.nats!, "memory-bench-g2p"));
  const dataDir = join(dir, "g2p-data");
  console.log("\n(g2p) g2p with both dialects' gold and silver lexicons loaded");
  // The first start builds the packed lexicons and keeps them under DATA_DIR; the second reads them back.
  for (const start of ["first start (packs the lexicons)", "second start (packed lexicons from DATA_DIR)"]) {
    const t0 = performance.now();
    const proc: ServiceProcess = spawnService("g2p", "services/g2p/src/main.ts", {
      NATS_URL: args.nats!,
      KOKORO_CONFIG: kokoroConfig,
      LEXICON_DIR: lexiconDir,
      G2P_PRELOAD: "en-us,en-gb",
      HEALTH_PORT: String(await freePort()),
      INSTANCE_ID: "memory-bench-g2p",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    try {
      await waitFor(
        "g2p ready",
        async () => {
          const all = await bus.gatherJson(contracts.g2p.status, { v: 1 }, 200);
          return all.find((s) => s.instance.includes("memory-bench-g2p") && s.ready);
        },
        120_000,
        50,
      );
      const readyMs = performance.now() - t0;
      for (const voice of ["af_heart", "bf_emma"])
        await bus.requestJson(contracts.g2p.phonemize, { v: 1, text: "The quick brown fox jumps.", voice });
      row(`en-us + en-gb, ${start}`, { "ready ms": Math.round(readyMs), "RSS MB": rssMb(proc.proc.pid) });
    } finally {
      await stopAll([proc]);
    }
  }
  await bus.close();
}

if (only.has("synth")) await synthFigures();
if (only.has("stack")) await stackFigures();
if (only.has("g2p")) await g2pFigures();
process.exit(0);
