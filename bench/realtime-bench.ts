/**
 * Realtime TTS for voice agents: time from the end of a turn's first phrase
 * (the moment the token that completes it is sent, as our own segmenter,
 * fed the same tokens, sees it) to the first audio frame on /v1/speak,
 * against the bare engine's time for that phrase's first chunk (a synth
 * stream opened straight on the bus, g2p already done) and the bare
 * pipeline's (g2p + synth on the bus, no gateway), each measured under the
 * same concurrency (the bare runs of n start together, a burst; the agents'
 * phrases fall where their pacing puts them, so at n > 1 the bare figures
 * include more queueing than the agents meet). Agents send an LLM's tokens at --rate tokens/s, many
 * turns per socket, 1 and --agents concurrent agents.
 *   bun bench/realtime-bench.ts [--turns 30] [--agents 4] [--rate 30] [--work 0]
 * Everything runs as separate processes on a private NATS (fixture model).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { Bus, NatsTransport, createLogger } from "@kokoro-edge/runtime";
import { startPrivateNats } from "@kokoro-edge/runtime/src/testing/nats-server";
import { sharedPaths } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { phonemize } from "../services/gateway/src/pipeline/g2p-client";
import { synthChunks } from "../services/gateway/src/pipeline/plan";
import { synthesize } from "../services/gateway/src/pipeline/synth-client";
import { Segmenter } from "../services/gateway/src/realtime/segmenter";
import { llmTokens } from "../services/gateway/test/realtime.client";
import { freePort, waitFor } from "../tests/support/ports";
import { spawnService, stopAll, type ServiceProcess } from "../tests/support/processes";

const { values: args } = parseArgs({
  options: {
    turns: { type: "string", default: "30" },
    agents: { type: "string", default: "4" },
    rate: { type: "string", default: "30" },
    work: { type: "string", default: "0" },
  },
});
const turns = Number(args.turns);
const rate = Number(args.rate);

const OPENERS = [
  "Sure.",
  "Of course, here is what I found for you today.",
  "Good question!",
  "Let me check that for you right now, it will only take a moment.",
  "Right.",
  "Okay, so the short answer is yes.",
];
const BODIES = [
  "The train leaves at ten past nine from platform four, and the trip takes about two hours.",
  "Your order has shipped and should arrive on Thursday, unless the weather slows the courier down.",
  "The recipe needs three eggs, a cup of flour and a pinch of salt; bake it for twenty minutes.",
  "I moved your meeting with the design team to Friday afternoon, as you asked.",
  "The museum is open every day except Monday, and students get in for half the price.",
];
const turnText = (i: number) =>
  `${OPENERS[i % OPENERS.length]} ${BODIES[i % BODIES.length]} ${BODIES[(i + 2) % BODIES.length]}`;

const nats = await startPrivateNats();
const dir = mkdtempSync(join(tmpdir(), "ke-rt-bench-"));
const shared = sharedPaths();
const common = { LOG_LEVEL: "warn", API_KEYS_REQUIRED: "false", NATS_URL: nats.url };
const port = await freePort();
const procs: ServiceProcess[] = [
  spawnService("g2p", "services/g2p/src/main.ts", {
    ...common,
    DATA_DIR: join(dir, "g2p"),
    HEALTH_PORT: String(await freePort()),
    KOKORO_CONFIG: shared.kokoroConfig,
    LEXICON_DIR: shared.lexiconDir,
  }),
  spawnService("synth", "services/synth/src/main.ts", {
    ...common,
    DATA_DIR: join(dir, "synth"),
    HEALTH_PORT: String(await freePort()),
    KOKORO_MODEL: "fixture",
    VOICES_DIR: shared.voicesDir,
    SYNTH_FIXTURE_WORK: args.work!,
  }),
  spawnService("gateway", "services/gateway/src/main.ts", {
    ...common,
    DATA_DIR: join(dir, "gw"),
    PORT: String(port),
    HOST: "127.0.0.1",
    JOB_CONCURRENCY: "0",
    RATE_LIMIT_RPM: "0",
    REALTIME_MAX_SOCKETS_PER_KEY: "0",
    REALTIME_CHARS_PER_MINUTE: "0",
  }),
];
const log = createLogger("realtime-bench");

/** The first phrase of a turn's text, as the gateway's segmenter finds it from the tokens, and the token index that completes it. */
function firstPhrase(tokens: string[]): { phrase: string; at: number } {
  const seg = new Segmenter();
  for (let i = 0; i < tokens.length; i++) {
    const out = seg.push(tokens[i]!);
    if (out.length) return { phrase: out[0]!, at: i };
  }
  return { phrase: seg.flush() ?? "", at: tokens.length - 1 };
}

/** One agent: a socket, `turns` turns; per turn the ms from the first phrase's completing token to the first audio frame. */
async function agent(id: number): Promise<number[]> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/speak?model=af_heart`);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let onAudio: (() => void) | undefined;
  let onFlushed: (() => void) | undefined;
  ws.on("message", (data, binary) => {
    if (binary) onAudio?.();
    else if (String(data).includes('"Flushed"')) onFlushed?.();
  });
  const out: number[] = [];
  for (let t = 0; t < turns; t++) {
    const tokens = llmTokens(turnText(t + id * 7));
    const { at } = firstPhrase(tokens);
    let phraseDoneAt = 0;
    const firstAudio = new Promise<number>(
      (resolve) =>
        (onAudio = () => {
          onAudio = undefined;
          resolve(performance.now());
        }),
    );
    const flushed = new Promise<void>((resolve) => (onFlushed = resolve));
    const t0 = performance.now();
    for (let i = 0; i < tokens.length; i++) {
      const due = t0 + (i * 1000) / rate - performance.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      ws.send(JSON.stringify({ type: "Speak", text: tokens[i] }));
      if (i === at) phraseDoneAt = performance.now();
    }
    ws.send(JSON.stringify({ type: "Flush" }));
    out.push((await firstAudio) - phraseDoneAt);
    await flushed;
  }
  ws.close();
  return out;
}

/** The bare engine's and the bare pipeline's time to first audio for each turn's first phrase, `concurrency` at once. */
async function bare(bus: Bus, concurrency: number): Promise<{ engine: number[]; pipeline: number[] }> {
  const engine: number[] = [];
  const pipeline: number[] = [];
  const one = async (t: number) => {
    const { phrase } = firstPhrase(llmTokens(turnText(t)));
    const p0 = performance.now();
    const chunks = synthChunks(await phonemize(bus, { text: phrase, voice: "af_heart" }));
    const e0 = performance.now();
    for await (const ev of synthesize(
      bus,
      { v: 1, request_id: `bench-${t}-${Math.random()}`, voice: "af_heart", speed: 1, chunks },
      { credit: 4, maxResumes: 0, idleTimeoutMs: 5000, log },
    )) {
      if (ev.type === "audio") {
        engine.push(performance.now() - e0);
        pipeline.push(performance.now() - p0);
        break;
      }
    }
  };
  for (let t = 0; t < turns; t++)
    await Promise.all(Array.from({ length: concurrency }, (_, k) => one(t + k * 7)));
  return { engine, pipeline };
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
const fmt = (xs: number[]) => `${q(xs, 0.5).toFixed(1).padStart(7)} ${q(xs, 0.95).toFixed(1).padStart(7)}`;

try {
  await waitFor(
    "gateway ready",
    async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200
        ? true
        : undefined,
    90_000,
    250,
  );
  const bus = new Bus(await NatsTransport.connect(nats.url, "realtime-bench"));
  await bare(bus, 1); // warm-up
  await agent(99);
  console.log(
    `realtime TTFA from the end of the first phrase, ${turns} turns per agent, tokens at ${rate}/s, fixture work ${args.work}`,
  );
  console.log("agents  what                                   median     p95 (ms)");
  for (const n of [1, Number(args.agents)]) {
    const realtime = (await Promise.all(Array.from({ length: n }, (_, i) => agent(i)))).flat();
    const b = await bare(bus, n);
    console.log(`${String(n).padStart(6)}  /v1/speak: phrase end -> first frame   ${fmt(realtime)}`);
    console.log(`${String(n).padStart(6)}  bare engine (synth on the bus)         ${fmt(b.engine)}`);
    console.log(`${String(n).padStart(6)}  bare pipeline (g2p + synth on the bus) ${fmt(b.pipeline)}`);
    console.log(
      `${String(n).padStart(6)}  median minus engine's: ${signed(q(realtime, 0.5) - q(b.engine, 0.5))} ms; minus pipeline's: ${signed(q(realtime, 0.5) - q(b.pipeline, 0.5))} ms (${realtime.length} turns)`,
    );
  }
  await bus.close();
} catch (err) {
  for (const p of procs) console.error(`--- ${p.name} (exit ${p.proc.exitCode})\n${p.output()}`);
  throw err;
} finally {
  await stopAll(procs);
  await nats.stop();
}
