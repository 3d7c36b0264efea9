/**
 * Synth benchmarks (issue 4), on the fixture model dialled to Kokoro's CPU cost.
 *
 *   bun bench/synth-bench.ts [--work N] [--bus memory|nats] [--only a,b,c,d] [--seconds S] [--pairs P] [--rounds R]
 *
 * (a) time to first audio through the whole stack vs the bare engine's time for the same first chunk
 * (b) real-time factor of the whole stack on a long text vs the bare engine
 * (c) time to first audio p50/p95 with 1, 4, as many as offer 0.8 (@0.8) and 8 concurrent players (each reads its stream at real-time
 *     pace with a 4 s buffer and asks for the next text when the last one has finished playing); underruns.
 *     The lone player does not wait for playback (nothing shares its worker), so its p95 rests on more samples.
 * (d) resident memory of a synth worker process after 1,000 requests vs after 10
 * (e) the chunk cache: 20 prompts drawn with a Zipf law (repeated phrases), then texts never seen
 *     (misses): time to first audio and engine time with the cache on vs off, two stacks in turn
 * (a)-(d) measure inference, so they run with the chunk cache off (SYNTH_CACHE=false).
 * Figures are ratios measured side by side in one run: the machine is shared and noisy.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { calibrateWork, ensureFixtureModel } from "@kokoro-edge/fixture-model";
import { contracts } from "@kokoro-edge/proto";
import { Bus, NatsTransport } from "@kokoro-edge/runtime";
import { OnnxEngine } from "../services/synth/src/engine/onnx-engine";
import { intraOpThreads, configSchema as synthConfigSchema } from "../services/synth/src/config";
import { styleFor } from "../services/synth/src/style";
import { DirVoiceSource, VoiceStore } from "../services/synth/src/voices";
import { kokoroConfig, lexiconDir, voicesDir } from "../tests/support/paths";
import { freePort, waitFor } from "../tests/support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../tests/support/processes";
import { loadConfig } from "@kokoro-edge/runtime";

const { values: args } = parseArgs({
  options: {
    work: { type: "string" },
    bus: { type: "string", default: "nats" },
    only: { type: "string", default: "a,b,c,d,e" },
    requests: { type: "string", default: "120" },
    seconds: { type: "string", default: "40" },
    pairs: { type: "string", default: "45" },
    rounds: { type: "string", default: "4" },
    "target-rtf": { type: "string", default: "0.17" },
    levels: { type: "string", default: "1,4,@0.8,8" }, // @0.8: as many players as offer at most 0.8 (issue 18 part 4's bar)
  },
});
const only = new Set(args.only!.split(","));
const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const results: Record<string, unknown> = {};

const work =
  args.work !== undefined ? Number(args.work) : (await calibrateWork(Number(args["target-rtf"]))).work;
console.log(`fixture work=${work} (target RTF ${args["target-rtf"]})`);
const dataDir = mkdtempSync(join(tmpdir(), "ke-bench-"));
const env = {
  PORT: "0",
  HOST: "127.0.0.1",
  MIRROR_PORT: "0",
  DATA_DIR: dataDir,
  KOKORO_MODEL: "fixture",
  SYNTH_FIXTURE_WORK: String(work),
  VOICES_DIR: voicesDir,
  KOKORO_CONFIG: kokoroConfig,
  LEXICON_DIR: lexiconDir,
  MIRROR_UPSTREAMS: "file:///nonexistent",
  LOG_LEVEL: "error",
  SYNTH_CACHE: "false",
  API_KEYS_REQUIRED: "false",
  RATE_LIMIT_RPM: "0",
  MAX_STREAMS_PER_KEY: "0",
  ...(args.bus === "nats" ? { NATS_URL } : {}),
};

const synthConfig = loadConfig(synthConfigSchema, env);
const modelPath = await ensureFixtureModel(join(dataDir, "models"), {
  naming: "onnx-community",
  durations: true,
  work,
});
const bare = await OnnxEngine.load(modelPath, {
  threads: 1,
  intraOpThreads: intraOpThreads(synthConfig),
  interOpThreads: 1,
  name: "fixture",
  model: "bare",
  modelVersion: "bare",
  sha256: "bare",
});
const voice = await new VoiceStore(new DirVoiceSource(voicesDir)).resolve("af_heart");
const bareInfer = async (tokens: number[]) => {
  const t0 = performance.now();
  const r = await bare.infer({ tokens }, styleFor(voice.packs, tokens.length), 1);
  return { ms: performance.now() - t0, seconds: r.audio.length / 24000 };
};

// Another stack on the same NATS would join the synth queue group and take some of this run's streams
// (its hedges then "answer first"): the figures would be of two stacks sharing the machine.
if (args.bus === "nats") {
  const probe = new Bus(await NatsTransport.connect(NATS_URL, "bench-probe"));
  const others = await probe.gatherJson(contracts.synth.status, { v: 1 }, 500).catch(() => []);
  await probe.close();
  if (others.length)
    throw new Error(
      `synth replicas already answer on ${NATS_URL} (${others.map((o) => o.instance).join(", ")}): they would take this run's streams; stop them (another bench or stack) first`,
    );
}

// The platform runs in its own process (`npm start`'s entry point); this process is only the client,
// so HTTP in and out crosses real sockets and the client's work is not billed to the stack.
const port = await freePort();
const stackProc = spawnService("stack", "services/all-in-one.ts", { ...env, PORT: String(port) });
// Never leave a stack behind (it would join the synth queue group and take a later run's requests).
process.on("exit", () => stackProc.proc.kill("SIGKILL"));
const stack = { url: `http://127.0.0.1:${port}` };
await waitFor(
  "the stack to be ready",
  async () =>
    (await fetch(`${stack.url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
  120_000,
  250,
);
const g2p = async (text: string): Promise<{ tokens: number[] }[]> => {
  const res = await fetch(`${stack.url}/v1/audio/phonemize`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input: text, voice: "af_heart" }),
  });
  if (res.status !== 200) throw new Error(`phonemize: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).chunks;
};

/** Seconds the stack's synth engine has been busy (kokoro_synth_engine_busy_seconds_total). */
async function engineBusy(): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const m = /^kokoro_synth_engine_busy_seconds_total(?:\{[^}]*\})? (\S+)$/m.exec(text);
  if (!m) throw new Error("the stack's /metrics has no kokoro_synth_engine_busy_seconds_total");
  return Number(m[1]);
}

/** One speech request read at full speed or at real-time pace (a player with a 4 s buffer). */
async function speak(text: string, pace = false, url = stack.url) {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/audio/speech`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "kokoro", input: text, voice: "af_heart", response_format: "pcm" }),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  let ttfa = 0;
  let tFirst = 0;
  let audio = 0; // seconds received
  let worstDeficit = 0; // how far playback would have run dry, seconds
  while (true) {
    if (pace && tFirst) {
      const ahead = audio - (performance.now() - tFirst) / 1000;
      if (ahead > 4) await sleep((ahead - 4) * 1000);
    }
    const { value, done } = await reader.read();
    if (done) break;
    const now = performance.now();
    if (!tFirst) {
      tFirst = now;
      ttfa = now - t0;
    } else worstDeficit = Math.max(worstDeficit, (now - tFirst) / 1000 - audio);
    audio += value.byteLength / 2 / 24000;
  }
  const cache = res.headers.get("x-kokoro-cache");
  return {
    ttfa,
    total: performance.now() - t0,
    audio,
    worstDeficit,
    playbackEnd: tFirst + audio * 1000,
    cache,
  };
}

const SHORT = "Hello there, this is a short request.";
const SENTENCE =
  "The quick brown fox jumps over the lazy dog, while the cat watches from a sunny window sill. ";

if (only.has("a")) {
  const first = (await g2p(SHORT))[0]!.tokens;
  // On NATS, a second stack with BUS_LOCAL_CALLS=false shows the path before issue 18's "one hop
  // fewer": every g2p request and synth stream across the NATS server, as between processes.
  let crossUrl: string | undefined;
  if (args.bus === "nats") {
    const p = await freePort();
    const cross = spawnService("stack-cross", "services/all-in-one.ts", {
      ...env,
      DATA_DIR: join(dataDir, "a-cross"),
      PORT: String(p),
      BUS_LOCAL_CALLS: "false",
    });
    process.on("exit", () => cross.proc.kill("SIGKILL"));
    crossUrl = `http://127.0.0.1:${p}`;
    await waitFor(
      "the cross-bus stack to be ready",
      async () =>
        (await fetch(`${crossUrl}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
      120_000,
      250,
    );
    await speak(SHORT, false, crossUrl);
  }
  const bareMs: number[] = [];
  const stackMs: number[] = [];
  const crossMs: number[] = [];
  await speak(SHORT); // warm the path
  const pairs = Number(args.pairs);
  for (let i = 0; i < pairs; i++) {
    bareMs.push((await bareInfer(first)).ms);
    await sleep(100); // onnxruntime's threads spin for a while after a run: let them settle before the stack's turn
    stackMs.push((await speak(SHORT)).ttfa);
    await sleep(700); // and the stack's idle collection (SYNTH_IDLE_GC_MS, 300 ms) run before the bare engine's turn
    if (crossUrl) {
      crossMs.push((await speak(SHORT, false, crossUrl)).ttfa);
      await sleep(700);
    }
  }
  const overhead = stackMs.map((s, i) => s - bareMs[i]!);
  const crossOverhead = crossMs.map((s, i) => s - bareMs[i]!);
  // The two sides differ by a few ms while each inference varies by +-2-3 % (tens of ms): say how sure the figure is.
  const avg = mean(overhead);
  const sd = Math.sqrt(overhead.reduce((a, b) => a + (b - avg) ** 2, 0) / Math.max(1, pairs - 1));
  const ci = (1.96 * sd) / Math.sqrt(pairs);
  results.a = {
    first_chunk_tokens: first.length,
    pairs,
    bare_median_ms: median(bareMs),
    stack_ttfa_median_ms: median(stackMs),
    overhead_median_ms: median(overhead),
    overhead_mean_ms: avg,
    overhead_ci95_ms: ci,
    ...(crossUrl ? { cross_bus_overhead_median_ms: median(crossOverhead) } : {}),
  };
  console.log(
    `\n(a) time to first audio, ${first.length}-token first chunk, ${pairs} pairs, interleaved (${args.bus} bus)`,
  );
  console.log(`    bare engine (same chunk):  median ${ms(median(bareMs))}`);
  console.log(`    whole stack (HTTP->HTTP):  median ${ms(median(stackMs))}`);
  console.log(
    `    overhead:                  median ${ms(median(overhead))}; mean ${ms(avg)} +- ${ms(ci)} (95 %)`,
  );
  if (crossUrl)
    console.log(
      `    overhead, every call across NATS (BUS_LOCAL_CALLS=false): median ${ms(median(crossOverhead))} (ratio local/across ${(median(overhead) / median(crossOverhead)).toFixed(2)})`,
    );
}

if (only.has("b")) {
  const text = SENTENCE.repeat(14);
  const chunks = await g2p(text);
  // Rounds alternate the two sides, so that noise from the shared machine hits both; each round gives a ratio.
  const rounds = Number(args.rounds);
  const bareMs: number[] = [];
  const stackRuns: Awaited<ReturnType<typeof speak>>[] = [];
  let bareAudio = 0;
  for (let round = 0; round < rounds; round++) {
    let t = 0;
    for (const c of chunks) {
      const r = await bareInfer(c.tokens);
      t += r.ms;
      if (round === 0) bareAudio += r.seconds;
    }
    bareMs.push(t);
    stackRuns.push(await speak(text));
  }
  const bareTotal = mean(bareMs);
  const stackTotal = mean(stackRuns.map((r) => r.total));
  const ratios = stackRuns.map((r, i) => r.total / bareMs[i]!);
  const bareRtf = bareTotal / 1000 / bareAudio;
  const stackRtf = stackTotal / 1000 / stackRuns[0]!.audio;
  results.b = {
    chunks: chunks.length,
    rounds,
    bare_ms: bareTotal,
    bare_audio_s: bareAudio,
    stack_ms: stackTotal,
    stack_audio_s: stackRuns[0]!.audio,
    bare_rtf: bareRtf,
    stack_rtf: stackRtf,
    wall_ratio: stackTotal / bareTotal,
    round_ratios: ratios,
    median_round_ratio: median(ratios),
  };
  console.log(`\n(b) long text: ${chunks.length} chunks, ${rounds} alternating rounds`);
  console.log(
    `    bare engine: ${ms(bareTotal)} for ${bareAudio.toFixed(1)} s of model audio: RTF ${bareRtf.toFixed(3)}`,
  );
  console.log(
    `    whole stack: ${ms(stackTotal)} for ${stackRuns[0]!.audio.toFixed(1)} s delivered (pauses included): RTF ${stackRtf.toFixed(3)}`,
  );
  console.log(
    `    wall time stack / bare: ${(stackTotal / bareTotal).toFixed(3)} (rounds: ${ratios.map((r) => r.toFixed(3)).join(", ")}; median ${median(ratios).toFixed(3)})`,
  );
}

if (only.has("c")) {
  const text = SENTENCE;
  const seconds = Number(args.seconds);
  const rows: Record<string, unknown>[] = [];
  // The engine's cost for this text, to say how much of the worker's capacity each level asks for:
  // the median of several passes, taken again before each level (the machine's speed drifts).
  const textAudio = (await speak(text)).audio; // as delivered: with its pauses
  const textChunks = await g2p(text);
  const textCost = async (passes = 5) => {
    const runs: { ms: number; firstMs: number; audio: number }[] = [];
    for (let p = 0; p < passes; p++) {
      let ms = 0;
      let audio = 0;
      let firstMs = 0;
      for (const [i, c] of textChunks.entries()) {
        const r = await bareInfer(c.tokens);
        ms += r.ms;
        audio += r.seconds;
        if (i === 0) firstMs = r.ms;
      }
      runs.push({ ms, firstMs, audio });
    }
    return {
      ms: median(runs.map((r) => r.ms)),
      firstMs: median(runs.map((r) => r.firstMs)),
      audio: runs[0]!.audio,
    };
  };
  const cost0 = await textCost();
  let cMs = cost0.ms;
  const { firstMs, audio: cAudio } = cost0;
  const cRtf = cMs / 1000 / cAudio;
  /** The load one of several players offers at the text's cost `costMs`. */
  const perPlayer = (costMs: number) => costMs / (textAudio * 1000 + 1000);
  /** The load `n` players offer (alone, a player runs, then leaves the worker idle 1-2 s). */
  const offeredBy = (n: number, costMs: number) =>
    n === 1 ? costMs / (costMs + 1500) : n * perPlayer(costMs);
  // Players are independent listeners: seeded random start within the first 10 s and 0-2 s of
  // "think time" after each text has played, so they do not march in step.
  let seed = 0x5eed;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  console.log(
    `\n(c) concurrent players (real-time pace, 4 s buffer; each starts at a random time in the first 10 s and asks`,
  );
  console.log(`    for its next text 0-2 s after the last has played), ${seconds} s per level`);
  console.log(`    engine: RTF ${cRtf.toFixed(3)} for this text, ${ms(firstMs)} for its first chunk alone`);
  // The calibration times its own token run on a model without durations; this text on the stack's model
  // can cost a good deal less or more, and the per-player cost decides how tight the playback deadlines are.
  const target = Number(args["target-rtf"]);
  if (work > 0 && Math.abs(cRtf / target - 1) > 0.2)
    console.log(
      `    (not the target RTF ${target}: --work ${Math.round((work * target) / cRtf)} would come closer for this text)`,
    );
  console.log(
    `    offered = engine time each player asks for per text / (the text's ${textAudio.toFixed(1)} s of audio + 1 s mean think time),`,
  );
  console.log(
    `              summed over players: the load if every stream kept up (over 1.00 no order of work keeps every stream whole);`,
  );
  console.log(
    `              at the engine's cost measured before the level (which sizes "@" levels) - and right after it (the machine drifts)`,
  );
  console.log(`    load = engine time of the audio delivered / wall time (1.00: the worker is saturated)`);
  console.log(
    `    busy = the share of the wall time the stack's engine had an inference running (its own metric): what the`,
  );
  console.log(`           streams really cost it, with whatever contention the machine adds`);
  console.log(
    "    streams  requests  offered    load  busy  ttfa p50    ttfa p95    underrun: worst  requests  errors",
  );
  for (const level of args.levels!.split(",")) {
    // "@0.8": as many players as offer at most that load, at the cost measured just now.
    const n = level.startsWith("@")
      ? Math.max(2, Math.floor(Number(level.slice(1)) / perPlayer(cMs)))
      : Number(level);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--levels: "${level}" is neither a player count nor @load`);
    const ttfas: number[] = [];
    let worst = 0;
    let underrunning = 0; // requests whose playback ran dry at least once (for 5 ms or more)
    let errors = 0;
    let audioS = 0;
    const busy0 = await engineBusy();
    const t0 = performance.now();
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await sleep(n === 1 ? 0 : random() * 10_000);
        while (performance.now() < end) {
          try {
            const r = await speak(text, n > 1);
            ttfas.push(r.ttfa);
            audioS += r.audio;
            worst = Math.max(worst, r.worstDeficit);
            if (r.worstDeficit >= 0.005) underrunning++; // a dry spell the table would show (0.01 s rounded)
            // A player asks for its next text once the last one has finished playing, and a moment more.
            // Alone, it need not wait for playback: it leaves the worker idle for 1-2 s, as between texts.
            await sleep(
              n > 1
                ? Math.max(0, r.playbackEnd - performance.now()) + random() * 2000
                : 1000 + random() * 1000,
            );
          } catch {
            errors++;
          }
        }
      }),
    );
    const wall = (performance.now() - t0) / 1000;
    const busy = ((await engineBusy()) - busy0) / wall;
    const load = (audioS * (cMs / 1000 / cAudio)) / wall;
    const offered = offeredBy(n, cMs);
    await sleep(3000); // let the last streams of this level finish
    // The engine's cost again, right after the level (and so before the next): the machine's speed
    // drifts within a minute, and a level whose engine got slower offered more than it was sized for.
    const before = cMs;
    cMs = (await textCost()).ms;
    const offeredAfter = offeredBy(n, cMs);
    rows.push({
      streams: n,
      requests: ttfas.length,
      offered,
      offered_after: offeredAfter,
      cost_ms_before: before,
      cost_ms_after: cMs,
      load,
      busy,
      ttfa_p50_ms: median(ttfas),
      ttfa_p95_ms: pct(ttfas, 95),
      worst_underrun_s: worst,
      underrun_requests: underrunning,
      errors,
    });
    console.log(
      `    ${String(n).padEnd(7)}  ${String(ttfas.length).padEnd(8)}  ${`${offered.toFixed(2)}-${offeredAfter.toFixed(2)}`.padEnd(9)}  ${load.toFixed(2)}  ${busy.toFixed(2)}  ${ms(median(ttfas)).padEnd(10)}  ${ms(pct(ttfas, 95)).padEnd(10)}  ${worst.toFixed(2).padEnd(5)} s   ${String(underrunning).padEnd(8)}  ${errors}`,
    );
  }
  const p95 = (n: number) =>
    (rows.find((r) => r.streams === n) as { ttfa_p95_ms: number } | undefined)?.ttfa_p95_ms;
  const one = p95(1);
  const most = Math.max(...rows.map((r) => r.streams as number));
  if (one && most > 1)
    console.log(`    p95 at ${most} streams / p95 at 1 stream: ${(p95(most)! / one).toFixed(2)}`);
  // Streams that all start at the same instant: their first chunks can only run one after another.
  const bursts: Record<string, number[]> = {};
  for (const n of [4, 8]) {
    const t = (await Promise.all(Array.from({ length: n }, () => speak(text))))
      .map((r) => r.ttfa)
      .sort((a, b) => a - b);
    bursts[n] = t;
    console.log(
      `    burst of ${n} at once: ttfa ${t.map((x) => (x / 1000).toFixed(2)).join(", ")} s (${(t[t.length - 1]! / firstMs).toFixed(1)} first chunks' time)`,
    );
    await sleep(2000);
  }
  results.c = { engine_rtf: cRtf, first_chunk_ms: firstMs, levels: rows, bursts };
}

await stopAll([stackProc]);
await bare.close();

if (only.has("d")) {
  // A synth worker as its own process on NATS; requests go straight to it over the bus.
  const health = await freePort();
  const proc = spawnService("synth", "services/synth/src/main.ts", {
    NATS_URL,
    KOKORO_MODEL: "fixture",
    VOICES_DIR: voicesDir,
    DATA_DIR: join(dataDir, "d"),
    HEALTH_PORT: String(health),
    INSTANCE_ID: "bench-synth",
    LOG_LEVEL: "error",
  });
  process.on("exit", () => proc.proc.kill("SIGKILL"));
  await waitFor(
    "synth ready",
    async () =>
      (await fetch(`http://127.0.0.1:${health}/readyz`).catch(() => undefined))?.status === 200
        ? true
        : undefined,
    60_000,
  );
  const bus = new Bus(await NatsTransport.connect(NATS_URL, "bench"));
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.proc.pid}/status`, "utf8"))![1]) / 1024;
  const voices = ["af_heart", "af_bella", "am_adam", "bf_emma", "bm_george"];
  let done = 0;
  const one = async () => {
    // Sizes cycle through 20..49 tokens every 10 requests, so the first 10 already reach the largest.
    const tokens = Array.from({ length: 20 + ((done * 3) % 30) }, (_, i) => 1 + ((i * 7 + done) % 177));
    const reader = await bus.openStream(contracts.synth.stream, {
      v: 1,
      request_id: `mem-${done}`,
      voice: voices[done % voices.length]!,
      speed: 1,
      chunks: [{ index: 0, tokens, pause_after_s: 0.2 }],
    });
    for await (const _ of reader) {
      /* drain */
    }
    done++;
  };
  const samples: Record<number, number> = {};
  for (const mark of [10, 100, 250, 500, 1000]) {
    while (done < mark) await one();
    // The worker collects garbage SYNTH_IDLE_GC_MS (300 ms) after its last stream; sample once it has.
    await sleep(1000);
    samples[mark] = rss();
  }
  const after10 = samples[10]!;
  const after1000 = samples[1000]!;
  results.d = { rss_mib: samples, growth: after1000 / after10 - 1 };
  console.log(`\n(d) synth worker resident memory (process ${proc.proc.pid}, fixture work 0)`);
  for (const [n, mib] of Object.entries(samples))
    console.log(`    after ${n.padStart(4)} requests: ${mib.toFixed(1)} MiB`);
  console.log(`    growth 10 -> 1000: ${((after1000 / after10 - 1) * 100).toFixed(1)}%`);
  await bus.close();
  await stopAll([proc]);
}

if (only.has("e")) {
  // Two stacks, each its own process on its own in-process bus (so neither takes the other's requests):
  // the same workload goes to one and then the other, round after round.
  const stacks: Record<"off" | "on", { url: string }> = { off: { url: "" }, on: { url: "" } };
  const procs: ServiceProcess[] = [];
  for (const side of ["off", "on"] as const) {
    const p = await freePort();
    const { NATS_URL: _n, ...memoryBus } = env as Record<string, string>;
    procs.push(
      spawnService(`stack-${side}`, "services/all-in-one.ts", {
        ...memoryBus,
        DATA_DIR: join(dataDir, `e-${side}`),
        PORT: String(p),
        SYNTH_CACHE: side === "on" ? "true" : "false",
      }),
    );
    stacks[side].url = `http://127.0.0.1:${p}`;
    await waitFor(
      `the cache-${side} stack to be ready`,
      async () =>
        (await fetch(`${stacks[side].url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined,
      120_000,
      250,
    );
  }
  process.on("exit", () => procs.forEach((p) => p.proc.kill("SIGKILL")));
  const engineSeconds = async (url: string) =>
    Number(
      /^kokoro_synth_inference_seconds_sum ([0-9.e+-]+)$/m.exec(
        await (await fetch(`${url}/metrics`)).text(),
      )?.[1] ?? 0,
    );
  // 20 prompts of an IVR or an agent: short and long, ranked by how often they come (Zipf, s = 1).
  const prompts = Array.from({ length: 20 }, (_, i) =>
    [
      `Prompt ${i + 1}.`,
      "Thank you for calling; your call is important to us.",
      i % 3 === 0
        ? "Please hold while we connect you to the next available agent, who will be with you shortly."
        : "",
      i % 4 === 1
        ? "You can also reach us online at any time, day or night, and most questions are answered there."
        : "",
    ].join(" "),
  );
  const weights = prompts.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const draw = () => {
    let r = rand() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]!) <= 0) return prompts[i]!;
    return prompts[prompts.length - 1]!;
  };
  const n = Number(args.requests);
  const zipf = Array.from({ length: n }, draw);
  const unique = Array.from(
    { length: Math.round(n / 3) },
    // its first words are its own: a first chunk shared with another text would be a hit
    (_, i) => `Number ${i + 1} of this run: a text never heard before, read out once. ${SENTENCE}`,
  );
  const rows: Record<string, Record<string, number | string>> = {};
  for (const [workload, texts] of [
    ["zipf", zipf],
    ["unique", unique],
  ] as const) {
    const ttfa: Record<string, number[]> = { off: [], on: [] };
    const engine: Record<string, number> = { off: 0, on: 0 };
    const hits: Record<string, number> = { off: 0, on: 0 };
    // In blocks of 10 requests, alternating sides, so that the machine's noise hits both.
    for (let b = 0; b < texts.length; b += 10) {
      for (const side of (b / 10) % 2 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        const e0 = await engineSeconds(stacks[side].url);
        for (const t of texts.slice(b, b + 10)) {
          const r = await speak(t, false, stacks[side].url);
          ttfa[side]!.push(r.ttfa);
          if (r.cache === "hit") hits[side]!++;
        }
        engine[side]! += (await engineSeconds(stacks[side].url)) - e0;
        await sleep(400);
      }
    }
    rows[workload] = {
      requests: texts.length,
      ttfa_p50_off_ms: median(ttfa.off!),
      ttfa_p50_on_ms: median(ttfa.on!),
      ttfa_p95_off_ms: pct(ttfa.off!, 95),
      ttfa_p95_on_ms: pct(ttfa.on!, 95),
      ttfa_p50_ratio_on_off: median(ttfa.on!) / median(ttfa.off!),
      engine_s_off: engine.off!,
      engine_s_on: engine.on!,
      engine_ratio_on_off: engine.on! / Math.max(1e-9, engine.off!),
      hits_on: hits.on!,
    };
    console.log(
      `\n(e) chunk cache, ${workload} workload: ${texts.length} requests per side, alternating blocks of 10`,
    );
    console.log(
      `    time to first audio p50: off ${ms(median(ttfa.off!))}, on ${ms(median(ttfa.on!))} (ratio ${(median(ttfa.on!) / median(ttfa.off!)).toFixed(2)}); p95: off ${ms(pct(ttfa.off!, 95))}, on ${ms(pct(ttfa.on!, 95))}`,
    );
    console.log(
      `    engine time: off ${engine.off!.toFixed(2)} s, on ${engine.on!.toFixed(2)} s (ratio ${(engine.on! / Math.max(1e-9, engine.off!)).toFixed(2)}); responses that were a hit: ${hits.on}/${texts.length}`,
    );
  }
  results.e = rows;
  await stopAll(procs);
}

console.log("\n" + JSON.stringify({ work, bus: args.bus, ...results }));
process.exit(0);
