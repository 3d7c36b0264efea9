/**
 * The last line behind "every fire-and-forget promise has a catch": a
 * rejection nobody handled is logged, with its stack, and the process lives
 * on, on Bun and on the pinned Deno. The unguarded run shows what it guards
 * against: the process dies.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const repoRoot = join(import.meta.dir, "..", "..", "..");
const script = join(import.meta.dir, "fixtures", "stray-rejection.ts");
const commands = {
  bun: [process.execPath, script],
  deno: [join(repoRoot, "node_modules", ".bin", "deno"), "run", "--allow-env", "--allow-read", script],
};

for (const [runtime, cmd] of Object.entries(commands)) {
  describe(`a stray rejection on ${runtime}`, () => {
    const run = (mode: string) => {
      const r = Bun.spawnSync([...cmd, mode], {
        env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "info" },
      });
      return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
    };

    test("without the guard it ends the process", () => {
      const r = run("bare");
      expect(r.code).not.toBe(0);
      expect(r.out).not.toContain("still running");
    }, 60_000);

    test("with the guard it is logged as an error, with where it came from, and the process carries on", () => {
      const r = run("guarded");
      expect(`${r.code} ${r.err.slice(0, 500)}`).toStartWith("0 ");
      expect(r.out).toContain("still running");
      const line = r.err.split("\n").find((l) => l.includes("unhandled promise rejection"));
      expect(line).toBeDefined();
      const entry = JSON.parse(line!);
      expect(entry.level).toBe("error");
      expect(JSON.stringify(entry)).toContain("a stray rejection");
      expect(entry.stack).toContain("stray-rejection.ts");
    }, 60_000);
  });
}
