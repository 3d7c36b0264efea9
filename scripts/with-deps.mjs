#!/usr/bin/env node
// Makes `npm start` / `npm test` work on a fresh clone with only Node.js and npm:
// installs the dependencies (Bun included, pinned in package.json) when they are
// missing or older than package-lock.json, then runs the given command with
// node_modules/.bin on PATH.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "node_modules", ".kokoro-edge-installed");
const lock = join(root, "package-lock.json");

function needsInstall() {
  if (!existsSync(join(root, "node_modules", ".bin", "bun")) || !existsSync(marker)) return true;
  const stamp = statSync(marker).mtimeMs;
  return [lock, join(root, "package.json")].some((f) => existsSync(f) && statSync(f).mtimeMs > stamp);
}

if (needsInstall()) {
  console.error("[kokoro-edge] installing dependencies (npm install)...");
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip", ONNXRUNTIME_NODE_INSTALL_CUDA: "skip" };
  // A fresh clone gets exactly the lockfile (npm ci); an existing tree is only topped up
  // (npm install), never wiped while something else may be using it.
  const fresh = !existsSync(join(root, "node_modules"));
  const cmd =
    fresh && existsSync(lock) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"];
  const r = spawnSync("npm", cmd, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(marker, new Date().toISOString());
}

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) process.exit(0);
const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}` };
// The command is this process's child: a SIGTERM or SIGINT sent to npm's process (a service
// manager, a test) reaches it too, so nothing is left running on its own.
const child = spawn(cmd, args, { cwd: process.cwd(), stdio: "inherit", env });
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("error", (err) => {
  console.error(err.message);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
// npm does not pass a SIGTERM on to the script it runs: when npm goes away (this process is
// handed to init), stop the command as if the signal had reached it.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill("SIGTERM");
}, 500).unref();
