/**
 * What a listener hears when a synth replica dies mid-stream (issue 22): the
 * client's largest gap between consecutive audio messages, for the same
 * stream with and without a SIGKILL of its replica at a random audio message,
 * in one run on a private NATS with two replica processes (the killed one is
 * restarted before the next round). Rounds alternate kill / no kill. Also:
 * death to the next audio byte, and the part of it that is the redone chunk's
 * inference on the new replica (reported apart: it is the chunk's cost, not
 * the detection's).
 *   bun bench/failover-bench.ts [--runs 20] [--work 0|kokoro|N] [--heartbeat 150] [--seed N]
 * --work is the fixture model's extra compute (0: the failover path itself;
 * kokoro: `calibrateWork(0.17)`, Kokoro's CPU cost, as bench/synth-bench.ts).
 * --heartbeat 0 runs the old way: 1 s heartbeats and the 5 s idle timeout
 * (the no-responders answer still notices a killed process).
 */
import { parseArgs } from "node:util";
import { calibrateWork } from "@kokoro-edge/fixture-model";
import { Bus, NatsTransport, createLogger, setLogLevel } from "@kokoro-edge/runtime";
import { startPrivateNats } from "@kokoro-edge/runtime/src/testing/nats-server";
import {
  SynthReplicas,
  lcg,
  quantile,
  randomChunks,
  runStream,
  type StreamRun,
} from "../tests/support/failover-runs";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    work: { type: "string", default: "0" },
    heartbeat: { type: "string", default: "150" },
    seed: { type: "string" },
  },
});
const runs = Number(args.runs);
const heartbeatMs = Number(args.heartbeat);
setLogLevel("error");
const log = createLogger("failover-bench");
const nats = await startPrivateNats();
const work = args.work === "kokoro" ? (await calibrateWork(0.17)).work : Number(args.work);
const env = { SYNTH_FIXTURE_WORK: String(work) };
const replicas = new SynthReplicas(nats.url, { "synth-a": env, "synth-b": env });
await replicas.startAll();
const bus = new Bus(await NatsTransport.connect(nats.url, "failover-bench"));
const opts = { credit: 4, maxResumes: 3, idleTimeoutMs: 5000, heartbeatMs: heartbeatMs || undefined, log };
const chunks = randomChunks(10, 21);
const request = { v: 1 as const, voice: "af_heart", speed: 1, chunks };
const rnd = lcg(Number(args.seed ?? Date.now() % 100_000));

const reference = await runStream(bus, { ...request, request_id: "warm" }, opts);
const plain: StreamRun[] = [];
const killed: StreamRun[] = [];
let mismatches = 0;
for (let r = 0; r < runs; r++) {
  for (const kill of r % 2 === 0 ? [true, false] : [false, true]) {
    await replicas.revive();
    const killAt = kill ? 1 + Math.floor(rnd() * (reference.audioMessages - 2)) : undefined;
    const run = await runStream(
      bus,
      { ...request, request_id: `r${r}-${kill ? "kill" : "plain"}` },
      opts,
      replicas,
      killAt,
    );
    if (Buffer.compare(Buffer.from(run.pcm.buffer), Buffer.from(reference.pcm.buffer)) !== 0) mismatches++;
    (kill ? killed : plain).push(run);
    if (kill)
      console.log(
        `run ${String(r + 1).padStart(2)}: kill at message ${killAt}/${reference.audioMessages}, death to next audio ${fmt(run.deathToAudioMs)} ms (redo inference ${fmt(run.redoInferenceMs)} ms), largest gap ${fmt(run.maxGapMs)} ms`,
      );
  }
}

function fmt(x: number | undefined) {
  return x === undefined || Number.isNaN(x) ? "-" : x.toFixed(0);
}
function line(name: string, xs: number[]) {
  console.log(
    `${name.padEnd(44)} p50 ${fmt(quantile(xs, 0.5)).padStart(5)}   p95 ${fmt(quantile(xs, 0.95)).padStart(5)}   max ${fmt(Math.max(...xs)).padStart(5)}   (n=${xs.length})`,
  );
}
const deaths = killed.filter((r) => r.deathToAudioMs !== undefined);
console.log(
  `\n${runs} runs, 10 chunks (${reference.audioMessages} audio messages), two replicas, --work ${args.work} (${work}), heartbeat ${heartbeatMs || "1000 (old)"} ms`,
);
line(
  "largest gap, no kill (ms)",
  plain.map((r) => r.maxGapMs),
);
line(
  "largest gap, with a kill (ms)",
  killed.map((r) => r.maxGapMs),
);
line(
  "death to next audio (ms)",
  deaths.map((r) => r.deathToAudioMs!),
);
line(
  "  of which redone chunk's inference (ms)",
  deaths.map((r) => r.redoInferenceMs ?? 0),
);
line(
  "  detection and re-dispatch (ms)",
  deaths.map((r) => r.deathToAudioMs! - (r.redoInferenceMs ?? 0)),
);
console.log(
  `output identical to the uninterrupted stream: ${runs * 2 - mismatches}/${runs * 2}; kills noticed after the stream ended: ${killed.length - deaths.length}`,
);

await bus.close();
await replicas.stop();
await nats.stop();
