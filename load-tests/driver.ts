#!/usr/bin/env bun
/**
 * Local load driver: `bun run load -- [options]`
 *
 *   --url URL            running gateway (default http://127.0.0.1:8080; loopback only)
 *   --spawn KIND         start a local stack instead: embedded | distributed
 *   --work N             fixture model compute for --spawn (default 75 ≈ Kokoro-82M's
 *                        CPU cost on this 2-core machine; see packages/fixture-model)
 *   --synth-replicas N   synth processes for --spawn distributed (default 1)
 *   -c, --concurrency N  concurrent streams (default 4, max 256)
 *   -d, --duration S     seconds to keep starting requests (default 20, max 600)
 *   -n, --max-requests N stop after N requests (default 2000)
 *   --mode M             pcm | sse | both (default both: alternating)
 *   --text T             short | medium | long | mixed (default mixed) or --input "..."
 *   --voice V            default af_heart
 *   --api-key KEY        sent as Authorization: Bearer KEY (or KOKORO_API_KEY)
 *   --timeout MS         fail a request when nothing arrives for MS (default 30000)
 *   --warmup N           requests before measuring (default 2)
 *   --json               print the result as JSON as well
 *
 * Prints one row per mode: requests, errors, time to first audio byte
 * (p50/p95/max), total time, audio seconds, real-time factor and audio
 * seconds delivered per wall second.
 */
import {
  LIMITS,
  rows,
  runLoad,
  table,
  TEXTS,
  topErrors,
  type LoadOptions,
  type Mode,
  type TextName,
} from "./load";
import type { LocalStack } from "./stacks";

interface Cli extends LoadOptions {
  spawn?: "embedded" | "distributed";
  work: number;
  synthReplicas: number;
  warmup: number;
  json: boolean;
}

export function parseCli(argv: string[], env: Record<string, string | undefined> = process.env): Cli {
  const o: Cli = {
    url: "http://127.0.0.1:8080",
    concurrency: 4,
    durationS: 20,
    maxRequests: 2000,
    modes: ["pcm", "sse"],
    inputs: [TEXTS.short, TEXTS.medium, TEXTS.long],
    voice: "af_heart",
    apiKey: env.KOKORO_API_KEY || undefined,
    timeoutMs: 30_000,
    work: 75,
    synthReplicas: 1,
    warmup: 2,
    json: false,
  };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    switch (a) {
      case "--url":
        o.url = next() ?? "";
        break;
      case "--spawn": {
        const k = next();
        if (k !== "embedded" && k !== "distributed") throw new Error("--spawn is embedded or distributed");
        o.spawn = k;
        break;
      }
      case "--work":
        o.work = num(a, next());
        break;
      case "--synth-replicas":
        o.synthReplicas = num(a, next());
        break;
      case "-c":
      case "--concurrency":
        o.concurrency = num(a, next());
        break;
      case "-d":
      case "--duration":
        o.durationS = num(a, next());
        break;
      case "-n":
      case "--max-requests":
        o.maxRequests = num(a, next());
        break;
      case "--timeout":
        o.timeoutMs = num(a, next());
        break;
      case "--warmup":
        o.warmup = num(a, next());
        break;
      case "--voice":
        o.voice = next() ?? "";
        break;
      case "--api-key":
        o.apiKey = next();
        break;
      case "--json":
        o.json = true;
        break;
      case "--mode": {
        const m = next();
        if (m === "both") o.modes = ["pcm", "sse"];
        else if (m === "pcm" || m === "sse") o.modes = [m as Mode];
        else throw new Error("--mode is pcm, sse or both");
        break;
      }
      case "--text": {
        const t = next();
        if (t === "mixed") o.inputs = [TEXTS.short, TEXTS.medium, TEXTS.long];
        else if (t && t in TEXTS) o.inputs = [TEXTS[t as TextName]];
        else throw new Error("--text is short, medium, long or mixed");
        break;
      }
      case "--input":
        o.inputs = [next() ?? ""];
        break;
      case "-h":
      case "--help":
        throw new Error("help");
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!Number.isInteger(o.synthReplicas) || o.synthReplicas < 1 || o.synthReplicas > 8)
    throw new Error("--synth-replicas must be 1..8");
  if (!Number.isInteger(o.work) || o.work < 0 || o.work > 100_000)
    throw new Error("--work must be 0..100000");
  if (!Number.isInteger(o.warmup) || o.warmup < 0 || o.warmup > 100)
    throw new Error("--warmup must be 0..100");
  return o;
}

async function main() {
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    const msg = (e as Error).message;
    const help = (await Bun.file(import.meta.path).text())
      .split("*/")[0]!
      .split("\n")
      .slice(2)
      .map((l) => l.replace(/^ \* ?/, ""))
      .join("\n");
    console.error(msg === "help" ? help : `${msg}\n\n${help}`);
    process.exit(msg === "help" ? 0 : 2);
  }
  let stack: LocalStack | undefined;
  const stopStack = async () => {
    const s = stack;
    stack = undefined;
    await s?.stop();
  };
  process.on("SIGINT", () => void stopStack().then(() => process.exit(130)));
  try {
    if (cli.spawn) {
      const { startEmbedded, startDistributed } = await import("./stacks");
      const t0 = performance.now();
      console.error(`[load] starting a ${cli.spawn} stack (fixture model, work ${cli.work}) ...`);
      if (cli.spawn === "embedded") stack = await startEmbedded({ work: cli.work });
      else {
        const { TEST_NATS_URL, TEST_DATABASE_URL } =
          await import("@kokoro-edge/runtime/src/testing/services");
        stack = await startDistributed({
          work: cli.work,
          synthReplicas: cli.synthReplicas,
          natsUrl: TEST_NATS_URL,
          databaseUrl: TEST_DATABASE_URL,
        });
      }
      cli.url = stack.url;
      console.error(
        `[load] ready at ${stack.url} in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS MiB ${JSON.stringify(stack.rss())}`,
      );
    }
    if (cli.warmup > 0) {
      const w = await runLoad({
        ...cli,
        concurrency: 1,
        durationS: LIMITS.maxDurationS,
        maxRequests: cli.warmup,
      });
      const bad = w.samples.filter((s) => !s.ok);
      if (bad.length === w.samples.length) throw new Error(`warm-up failed: ${bad[0]?.error}`);
    }
    console.error(
      `[load] ${cli.url}: ${cli.concurrency} concurrent streams for ${cli.durationS} s (at most ${cli.maxRequests} requests), modes ${cli.modes.join("+")}, ${cli.inputs.length} text(s)`,
    );
    let done = 0;
    const cpu0 = stack?.cpu();
    const result = await runLoad(cli, () => {
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\r[load] ${done} requests`);
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    const rs = rows(result);
    console.log(
      `\n${stack ? `${stack.kind} stack, fixture work ${cli.work}` : cli.url} | concurrency ${cli.concurrency} | wall ${result.wallS.toFixed(1)} s`,
    );
    console.log(table(rs));
    const errs = topErrors(result.samples);
    if (errs.length) console.log(`errors:\n${errs.map(([m, n]) => `  ${n} x ${m}`).join("\n")}`);
    let cores: Record<string, number> | null = null;
    if (stack && cpu0) {
      const cpu1 = stack.cpu();
      cores = Object.fromEntries(
        Object.keys(cpu1).map((k) => [k, Math.round(((cpu1[k]! - cpu0[k]!) / result.wallS) * 100) / 100]),
      );
      console.log(`RSS MiB after the run: ${JSON.stringify(stack.rss())}`);
      console.log(`CPU cores used during the run (CPU s / wall s): ${JSON.stringify(cores)}`);
    }
    if (cli.json)
      console.log(
        JSON.stringify({
          url: cli.url,
          spawn: cli.spawn ?? null,
          work: cli.spawn ? cli.work : null,
          concurrency: cli.concurrency,
          wallS: result.wallS,
          rows: rs,
          rssMiB: stack?.rss() ?? null,
          cores,
        }),
      );
    await stopStack();
    process.exit(rs.at(-1)!.errors > 0 ? 1 : 0);
  } catch (e) {
    console.error(`[load] ${(e as Error).message}`);
    await stopStack();
    process.exit(1);
  }
}

if (import.meta.main) await main();
