/**
 * Synth replicas as separate processes on one NATS, and one stream read
 * through the gateway's synth client while a replica may be SIGKILLed at a
 * chosen audio message: what the client saw (its audio, and the wall-time
 * gaps between consecutive audio messages). Shared by the failover test and
 * bench/failover-bench.ts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { concatInt16 } from "@kokoro-edge/runtime";
import type { Bus } from "@kokoro-edge/runtime";
import { synthesize, type SynthesizeOptions } from "../../services/gateway/src/pipeline/synth-client";
import type { SynthRequestInput } from "@kokoro-edge/proto";
import { voicesDir } from "./paths";
import { freePort, waitFor } from "./ports";
import { spawnService, stopAll, type ServiceProcess } from "./processes";

export class SynthReplicas {
  readonly procs = new Map<string, ServiceProcess>();
  private readonly dir = mkdtempSync(join(tmpdir(), "ke-replicas-"));

  constructor(
    private readonly natsUrl: string,
    /** Per replica name: its extra environment. */
    private readonly env: Record<string, Record<string, string>>,
  ) {}

  get names(): string[] {
    return Object.keys(this.env);
  }

  /** Start (or restart) a replica and wait until it is ready. */
  async start(name: string): Promise<void> {
    const port = await freePort();
    const proc = spawnService(name, "services/synth/src/main.ts", {
      NATS_URL: this.natsUrl,
      KOKORO_MODEL: "fixture",
      VOICES_DIR: voicesDir,
      DATA_DIR: join(this.dir, name),
      HEALTH_PORT: String(port),
      INSTANCE_ID: name,
      LOG_LEVEL: "warn",
      // these runs are about inference that stalls or dies: a chunk served from the cache would not
      SYNTH_CACHE: "false",
      ...this.env[name],
    });
    this.procs.set(name, proc);
    await waitFor(
      `${name} ready`,
      async () =>
        (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200
          ? true
          : undefined,
      60_000,
      100,
    );
  }

  async startAll(): Promise<void> {
    await Promise.all(this.names.map((n) => this.start(n)));
  }

  kill(name: string): void {
    this.procs.get(name)?.proc.kill("SIGKILL");
  }

  /** Restart every replica that is not running. */
  async revive(): Promise<void> {
    for (const n of this.names) {
      const p = this.procs.get(n);
      if (!p || p.proc.exitCode !== null || p.proc.signalCode) {
        await p?.proc.exited;
        await this.start(n);
      }
    }
  }

  async stop(): Promise<void> {
    await stopAll([...this.procs.values()], "SIGKILL");
  }
}

export interface StreamRun {
  pcm: Int16Array;
  worker: string;
  resumes: number;
  audioMessages: number;
  /** Wall-time gaps (ms) between consecutive audio messages at the client. */
  gaps: number[];
  maxGapMs: number;
  /** With a kill: ms from the kill to the first audio message made by another replica. */
  deathToAudioMs?: number;
  /** With a kill: the redone chunk's inference time on the new replica (ms), part of deathToAudioMs. */
  redoInferenceMs?: number;
  killed?: string;
}

/** A deterministic pseudo-random source (the same chunks every run). */
export function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export function randomChunks(n: number, seed: number) {
  const rnd = lcg(seed);
  return Array.from({ length: n }, (_, index) => ({
    index,
    tokens: Array.from({ length: 20 + Math.floor(rnd() * 40) }, () => 1 + Math.floor(rnd() * 177)),
    pause_after_s: [0, 0.1, 0.25, 0.5][Math.floor(rnd() * 4)]!,
  }));
}

/**
 * Read one stream as fast as it comes (so the next chunk is always due at the
 * client); with `killAt`, SIGKILL the replica serving it when the client has
 * that many audio messages.
 */
export async function runStream(
  bus: Bus,
  request: Omit<SynthRequestInput, "resume">,
  opts: SynthesizeOptions,
  replicas?: SynthReplicas,
  killAt?: number,
): Promise<StreamRun> {
  const pcm: Int16Array[] = [];
  const gaps: number[] = [];
  let worker = "";
  let resumes = 0;
  let n = 0;
  let last: number | undefined;
  let killedAt: number | undefined;
  let killed: string | undefined;
  let deathToAudioMs: number | undefined;
  let redoInferenceMs: number | undefined;
  let expectOffset = 0;
  let failedOverAt: number | undefined;
  const events = {
    ...opts.events,
    failover: (by: string) => {
      failedOverAt ??= performance.now();
      opts.events?.failover?.(by);
    },
  };
  for await (const ev of synthesize(bus, request, { ...opts, events })) {
    if (ev.type === "start") worker = ev.info.worker;
    if (ev.type === "end") resumes = ev.resumes;
    if (ev.type !== "audio") continue;
    const now = performance.now();
    if (last !== undefined) gaps.push(now - last);
    last = now;
    pcm.push(ev.pcm.slice());
    if (ev.offset !== expectOffset)
      throw new Error(`audio at sample ${ev.offset}, expected ${expectOffset}: lost or doubled audio`);
    expectOffset += ev.pcm.length;
    n++;
    if (failedOverAt !== undefined && killedAt !== undefined) {
      // audio after the client moved on is the new replica's
      deathToAudioMs ??= now - killedAt;
      if (redoInferenceMs === undefined && ev.inferenceMs !== undefined) redoInferenceMs = ev.inferenceMs;
    }
    if (killAt !== undefined && n === killAt && replicas) {
      killed = worker;
      replicas.kill(worker);
      killedAt = performance.now();
    }
  }
  return {
    pcm: concatInt16(pcm),
    worker,
    resumes,
    audioMessages: n,
    gaps,
    maxGapMs: Math.max(0, ...gaps),
    deathToAudioMs,
    redoInferenceMs,
    killed,
  };
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
