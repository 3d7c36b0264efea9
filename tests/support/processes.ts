import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bunBin, repoRoot } from "./paths";

export type Runtime = "bun" | "deno";

export interface ServiceProcess {
  name: string;
  runtime: Runtime;
  proc: Subprocess;
  output(): string;
}

/** The pinned Deno from npm (package.json), as README's `npx deno` runs it. */
export const denoBin = join(repoRoot, "node_modules", ".bin", "deno");

/**
 * The command deno.json's task runs for `entry`, with the pinned Deno's path:
 * the tests start a service on Deno exactly as `deno task <service>` does
 * (permissions and flags included), without the task runner in between.
 */
export function denoCommand(entry: string): string[] {
  const tasks = JSON.parse(readFileSync(join(repoRoot, "deno.json"), "utf8")).tasks as Record<
    string,
    { command: string }
  >;
  const task = Object.values(tasks).find((t) => t.command.split(/\s+/).at(-1) === entry);
  if (!task) throw new Error(`deno.json has no task that runs ${entry}`);
  const [deno, ...args] = task.command.split(/\s+/);
  if (deno !== "./node_modules/.bin/deno")
    throw new Error(
      `deno.json task for ${entry} does not start with ./node_modules/.bin/deno: ${task.command}`,
    );
  return [denoBin, ...args];
}

/** Start `<entry>` as its own process on Bun (`bun <entry>`) or Deno (its deno.json task), with its own environment; its output is kept for failures. */
export function spawnService(
  name: string,
  entry: string,
  env: Record<string, string>,
  runtime: Runtime = "bun",
): ServiceProcess {
  let out = "";
  const proc = Bun.spawn(runtime === "deno" ? denoCommand(entry) : [bunBin, entry], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) out = (out + dec.decode(chunk)).slice(-20_000);
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return { name, runtime, proc, output: () => out };
}

export async function stopAll(procs: ServiceProcess[], signal: NodeJS.Signals = "SIGTERM") {
  for (const p of procs) p.proc.kill(signal);
  await Promise.all(procs.map((p) => Promise.race([p.proc.exited, new Promise((r) => setTimeout(r, 5000))])));
  for (const p of procs) if (p.proc.exitCode === null) p.proc.kill("SIGKILL");
}
