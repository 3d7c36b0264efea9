/**
 * Lists the import cycles among the repository's own TypeScript modules (type-only imports
 * included: a cycle of types is still two modules that cannot be read one before the other).
 *
 *   bun scripts/import-cycles.ts        prints each cycle, exits 1 if there is any
 *
 * The test tests/infra/import-cycles.test.ts keeps the count at zero.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const ROOTS = ["proto", "packages", "services", "bench", "load-tests", "tests", "scripts"];
const SKIP = new Set(["node_modules", "dist", ".git"]);

/** Workspace package name -> its entry file. */
function workspaces(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of ["proto", ...["packages", "services"].flatMap((d) => children(join(root, d)))]) {
    const pj = join(root, dir, "package.json");
    if (!existsSync(pj)) continue;
    const p = JSON.parse(readFileSync(pj, "utf8")) as { name?: string; main?: string };
    if (p.name) out.set(p.name, join(root, dir, p.main ?? "src/index.ts"));
  }
  return out;
}

function children(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((n) => relative(root, join(dir, n))) : [];
}

function sources(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const SPEC = /(?:^|[\s;])(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolveSpec(from: string, spec: string, pkgs: Map<string, string>): string | undefined {
  let base: string | undefined;
  if (spec.startsWith(".")) base = resolve(dirname(from), spec);
  else {
    const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
    const entry = pkgs.get(name);
    if (!entry) return undefined;
    const rest = spec.slice(name.length);
    base = rest ? join(dirname(dirname(entry)), rest) : entry;
  }
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")])
    if (existsSync(c) && statSync(c).isFile() && /\.tsx?$/.test(c)) return c;
  return undefined;
}

export function importGraph(): Map<string, string[]> {
  const pkgs = workspaces();
  const graph = new Map<string, string[]>();
  for (const r of ROOTS)
    for (const f of sources(join(root, r))) {
      const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const deps = new Set<string>();
      for (const m of text.matchAll(SPEC)) {
        const to = resolveSpec(f, m[1] ?? m[2]!, pkgs);
        if (to && to !== f) deps.add(to);
      }
      graph.set(f, [...deps]);
    }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan). */
export function importCycles(graph = importGraph()): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.map((f) => relative(root, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

if (import.meta.main) {
  const cycles = importCycles();
  for (const c of cycles) console.log(`cycle (${c.length} modules):\n  ${c.join("\n  ")}`);
  console.log(cycles.length ? `${cycles.length} import cycle(s)` : "no import cycles");
  process.exit(cycles.length ? 1 : 0);
}
