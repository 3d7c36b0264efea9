/**
 * The last line behind "every fire-and-forget promise has a catch": a
 * rejection nobody handled is logged, with its stack, and the process lives on.
 * The unguarded run shows what it guards against: the process dies.
 */
import { expect, test } from "bun:test";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./fixtures/stray-rejection.ts", import.meta.url));
const run = (mode: string) => {
  const r = Bun.spawnSync([process.execPath, script, mode], { env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "info" } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

test("without the guard a stray rejection ends the process", () => {
  const r = run("bare");
  expect(r.code).not.toBe(0);
  expect(r.out).not.toContain("still running");
});

test("with the guard it is logged as an error, with where it came from, and the process carries on", () => {
  const r = run("guarded");
  expect(r.code).toBe(0);
  expect(r.out).toContain("still running");
  const line = r.err.split("\n").find((l) => l.includes("unhandled promise rejection"));
  expect(line).toBeDefined();
  const entry = JSON.parse(line!);
  expect(entry.level).toBe("error");
  expect(JSON.stringify(entry)).toContain("a stray rejection");
  expect(entry.stack).toContain("stray-rejection.ts");
});
