/**
 * Each workspace must declare the packages it imports (its own package.json, not only the root's):
 * source imports in `dependencies`, test and bench imports in either list.
 *
 *   bun scripts/workspace-deps.ts        prints what is missing, exits 1 if anything is
 *
 * tests/infra/workspace-deps.test.ts keeps it so.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const BUILTIN = new Set(builtinModules);
const IMPORT =
  /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"'.][^"']*)["']|^\s*import\s*["']([^"'.][^"']*)["']|\bimport(?:\.meta\.resolve)?\(\s*["']([^"'.][^"']*)["']\s*\)/gm;

export interface Missing {
  workspace: string;
  name: string;
  /** Where it is imported: src (needs `dependencies`) or test (either list). */
  from: "src" | "test";
  file: string;
}

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    if (n === "node_modules" || n === "dist") continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(n)) out.push(p);
  }
  return out;
}

export function packageName(spec: string): string | undefined {
  if (spec.startsWith("node:") || spec.startsWith("bun:") || spec === "bun") return undefined;
  const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
  return BUILTIN.has(name) ? undefined : name;
}

export function workspaces(): string[] {
  const dirs = [
    "proto",
    ...["packages", "services"].flatMap((d) => readdirSync(join(root, d)).map((n) => `${d}/${n}`)),
  ];
  return dirs.filter((d) => existsSync(join(root, d, "package.json")));
}

export function missingDependencies(): Missing[] {
  const out: Missing[] = [];
  for (const ws of workspaces()) {
    const pj = JSON.parse(readFileSync(join(root, ws, "package.json"), "utf8"));
    const deps = new Set(Object.keys(pj.dependencies ?? {}));
    const all = new Set([...deps, ...Object.keys(pj.devDependencies ?? {}), pj.name]);
    for (const f of files(join(root, ws))) {
      const from = /\/(test|bench)\/|\.config\.ts$/.test(f) ? "test" : "src";
      const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const m of text.matchAll(IMPORT)) {
        const name = packageName(m[1] ?? m[2] ?? m[3]!);
        if (!name || (from === "src" ? deps.has(name) || name === pj.name : all.has(name))) continue;
        if (!out.some((x) => x.workspace === ws && x.name === name && x.from === from))
          out.push({ workspace: ws, name, from, file: relative(root, f) });
      }
    }
  }
  return out;
}

if (import.meta.main) {
  const missing = missingDependencies();
  for (const m of missing)
    console.log(
      `${m.workspace}: ${m.name} (imported by ${m.file}) is not in its ${m.from === "src" ? "dependencies" : "package.json"}`,
    );
  console.log(missing.length ? `${missing.length} undeclared` : "every workspace declares what it imports");
  process.exit(missing.length ? 1 : 0);
}
