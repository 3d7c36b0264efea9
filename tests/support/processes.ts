import type { Subprocess } from "bun";
import { bunBin, repoRoot } from "./paths";

export interface ServiceProcess {
  name: string;
  proc: Subprocess;
  output(): string;
}

/** Start `bun <entry>` as its own process with its own environment; its output is kept for failures. */
export function spawnService(name: string, entry: string, env: Record<string, string>): ServiceProcess {
  let out = "";
  const proc = Bun.spawn([bunBin, entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) out = (out + dec.decode(chunk)).slice(-20_000);
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return { name, proc, output: () => out };
}

export async function stopAll(procs: ServiceProcess[], signal: NodeJS.Signals = "SIGTERM") {
  for (const p of procs) p.proc.kill(signal);
  await Promise.all(procs.map((p) => Promise.race([p.proc.exited, new Promise((r) => setTimeout(r, 5000))])));
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill("SIGKILL");
}
