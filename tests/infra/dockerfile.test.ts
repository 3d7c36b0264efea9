/**
 * The build files, checked statically on every run (the real build and run is
 * image.test.ts, when the image's inputs change): every path the Dockerfile
 * copies exists and is not dropped by .dockerignore, the workspaces npm ci
 * needs are all there, every package the image's sources import is a
 * production dependency (npm ci --omit=dev leaves out the rest), the Bun
 * version is the one the repo pins, the base image is one base-image.sh can
 * make, the entry points and ports agree with the services and the
 * manifests, the image runs as the non-root user the pods expect, and no
 * model file can get in.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { find, podTemplate, render } from "./lib/render";
import { ALL_IN_ONE, OVERLAYS, repoPath, ROOT, SERVICES } from "./lib/repo";

interface Instr {
  op: string;
  args: string;
  stage: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instr[] {
  const out: Instr[] = [];
  let stage = "";
  let buf = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!buf && (line.trim().startsWith("#") || !line.trim())) continue;
    if (buf && line.trim().startsWith("#")) continue;
    buf += (buf ? " " : "") + line.replace(/\\$/, "").trim();
    if (line.endsWith("\\")) continue;
    const m = /^(\w+)\s+(.*)$/.exec(buf)!;
    const op = m[1]!.toUpperCase();
    if (op === "FROM") stage = /\bAS\s+(\S+)/i.exec(m[2]!)?.[1] ?? "";
    out.push({ op, args: m[2]!, stage });
    buf = "";
  }
  return out;
}

/** Minimal .dockerignore semantics (Go filepath.Match plus `**`), enough for this repo's file. */
function ignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const neg = l.startsWith("!");
      const pat = (neg ? l.slice(1) : l).replace(/^\/+/, "").replace(/\/+$/, "");
      let re = "";
      for (let i = 0; i < pat.length; i++) {
        const c = pat[i]!;
        if (c === "*" && pat[i + 1] === "*") {
          re += "(?:.*)";
          i++;
          if (pat[i + 1] === "/") {
            re += "(?:/|^)?";
            i++;
          }
        } else if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
      }
      return { neg, re: new RegExp(`^${re}(?:/.*)?$`) };
    });
  return (path) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(path)) ignored = !r.neg;
    return ignored;
  };
}

const dockerfile = parseDockerfile(readFileSync(repoPath("Dockerfile"), "utf8"));
const ignored = ignoreMatcher(readFileSync(repoPath(".dockerignore"), "utf8"));
const stages = [...new Set(dockerfile.map((i) => i.stage))];
const finalStage = stages.at(-1)!;
const final = dockerfile.filter((i) => i.stage === finalStage);
const jsonArgs = (i: Instr | undefined) => (i ? (JSON.parse(i.args) as string[]) : []);

function copies() {
  return dockerfile
    .filter((i) => i.op === "COPY" && !/--from=/.test(i.args))
    .map((i) => {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      return { stage: i.stage, srcs: parts.slice(0, -1), dest: parts.at(-1)! };
    });
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === ".git") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(relative(ROOT, p));
  }
  return out;
}

describe("Dockerfile", () => {
  test("is multi-stage, ends on a slim glibc image as a numeric non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const from = dockerfile.filter((i) => i.op === "FROM").at(-1)!.args;
    const argDefault = (name: string) =>
      new RegExp(`^${name}=(\\S+)`).exec(
        dockerfile.find((i) => i.op === "ARG" && i.args.startsWith(`${name}=`))?.args ?? "",
      )?.[1];
    const base = from.replace(/\$\{(\w+)\}/g, (_, n) => argDefault(n) ?? "");
    // glibc for onnxruntime's libonnxruntime.so (no Alpine/musl), slim variant.
    expect(base).toMatch(/^(debian:\w+-slim|node:\d+-\w+-slim|oven\/bun:[\d.]+-debian)/);
    const user = final.filter((i) => i.op === "USER").at(-1)!.args;
    const [uid, gid] = user.split(":").map(Number);
    expect(uid).toBeGreaterThan(0);
    for (const overlay of OVERLAYS)
      for (const s of SERVICES) {
        const sc = podTemplate(find(render(`overlays/${overlay}`), "Deployment", s.name)).securityContext;
        expect({ s: s.name, uid: sc.runAsUser, gid: sc.runAsGroup }).toEqual({ s: s.name, uid, gid });
      }
  });

  test("every COPY source exists and survives .dockerignore", () => {
    const cs = copies();
    expect(cs.length).toBeGreaterThan(5);
    for (const c of cs)
      for (const src of c.srcs) {
        expect({ src, exists: existsSync(repoPath(src)) }).toEqual({ src, exists: true });
        expect({ src, ignored: ignored(src) }).toEqual({ src, ignored: false });
      }
  });

  test("the deps stage copies every workspace's package.json (npm ci needs them all)", () => {
    const root = JSON.parse(readFileSync(repoPath("package.json"), "utf8"));
    const workspaces: string[] = root.workspaces.flatMap((w: string) =>
      w.endsWith("/*")
        ? readdirSync(repoPath(w.slice(0, -2)))
            .map((d) => `${w.slice(0, -2)}/${d}`)
            .filter((d) => existsSync(repoPath(d, "package.json")))
        : [w],
    );
    const copied = new Set(
      copies()
        .filter((c) => c.stage === "deps")
        .flatMap((c) => c.srcs),
    );
    for (const f of ["package.json", "package-lock.json"]) expect(copied).toContain(f);
    for (const w of workspaces) expect(copied).toContain(`${w}/package.json`);
    // And the runtime stage carries every workspace's source.
    const runtimeDirs = copies()
      .filter((c) => c.stage === finalStage)
      .flatMap((c) => c.srcs);
    for (const w of workspaces) expect(runtimeDirs.some((d) => w === d || w.startsWith(`${d}/`))).toBe(true);
  });

  test("installs with ONNXRUNTIME_NODE_INSTALL=skip, production deps only, and keeps the linux/x64 CPU library", () => {
    const deps = dockerfile.filter((i) => i.stage === "deps");
    expect(deps.some((i) => i.op === "ENV" && /ONNXRUNTIME_NODE_INSTALL=skip/.test(i.args))).toBe(true);
    const run = deps
      .filter((i) => i.op === "RUN")
      .map((i) => i.args)
      .join(" ");
    expect(run).toMatch(/npm ci --omit=dev/);
    const ort = /ort=(\S+)/.exec(run)![1]!;
    for (const f of ["libonnxruntime.so.1", "onnxruntime_binding.node"]) {
      expect(run).toContain(`$ort/linux/x64/${f}`);
      expect(existsSync(repoPath(ort, "linux/x64", f))).toBe(true);
    }
    // The build refuses to finish if the native library does not load.
    expect(final.some((i) => i.op === "RUN" && /require\('onnxruntime-node'\)/.test(i.args))).toBe(true);
  });

  test("bun is the version the repo pins", () => {
    const lock = JSON.parse(readFileSync(repoPath("package-lock.json"), "utf8"));
    const pinned = lock.packages["node_modules/bun"].version;
    const arg = dockerfile
      .find((i) => i.op === "ARG" && i.args.startsWith("BUN_VERSION="))!
      .args.split("=")[1];
    expect(arg).toBe(pinned);
  });

  test("entrypoint runs bun; the default command and every manifest's args are files in the repo", () => {
    const ep = jsonArgs(final.find((i) => i.op === "ENTRYPOINT"));
    expect(ep.at(-1)).toBe("/usr/local/bin/bun");
    expect(final.some((i) => i.op === "COPY" && i.args.includes("/usr/local/bin/bun"))).toBe(true);
    const cmd = jsonArgs(final.find((i) => i.op === "CMD"));
    expect(cmd).toEqual([ALL_IN_ONE]);
    expect(existsSync(repoPath(ALL_IN_ONE))).toBe(true);
    for (const overlay of OVERLAYS)
      for (const o of render(`overlays/${overlay}`).filter((x) => x.kind === "Deployment")) {
        for (const c of [...(podTemplate(o).initContainers ?? []), ...podTemplate(o).containers]) {
          expect(c.image).toMatch(/^ghcr\.io\/kokoro-edge\/kokoro-edge:[\w.-]+$/);
          expect({ c: c.name, file: existsSync(repoPath(c.args[0])), ignored: ignored(c.args[0]) }).toEqual({
            c: c.name,
            file: true,
            ignored: false,
          });
        }
      }
  });

  test("exposes exactly the services' ports", () => {
    const exposed = final
      .filter((i) => i.op === "EXPOSE")
      .flatMap((i) => i.args.split(/\s+/))
      .map(Number)
      .sort();
    expect(exposed).toEqual(SERVICES.map((s) => s.port).sort());
  });

  test("no model file can be baked in", () => {
    for (const p of [
      "x.onnx",
      "onnx/model.onnx",
      "voices/af_heart.bin",
      "node_modules/zod/index.js",
      "data/mirror/blob",
      ".git/HEAD",
    ])
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: true });
    // Nothing the build context would send is a model or voice file.
    const sent = walk(ROOT).filter((f) => !ignored(f));
    expect(
      sent.filter(
        (f) => /\.(onnx|bin|safetensors|pt)$/.test(f) || lstatSync(repoPath(f)).size > 20 * 1024 * 1024,
      ),
    ).toEqual([]);
    for (const c of copies())
      for (const src of c.srcs) expect(src).not.toMatch(/shared|\.onnx$|voices|models?$/);
  });

  test("every package the image's sources import is a production dependency (the image has no dev dependencies)", () => {
    const manifests = walk(ROOT)
      .filter((f) => f.endsWith("package.json") && !ignored(f) && f.split("/").length <= 3)
      .map(
        (f) =>
          JSON.parse(readFileSync(repoPath(f), "utf8")) as {
            name: string;
            dependencies?: Record<string, string>;
          },
      );
    const production = new Set(manifests.flatMap((m) => [m.name, ...Object.keys(m.dependencies ?? {})]));
    // What the services run: every src/ folder, and the one-process entry (services/*.ts); not tools' configs, benches or test helpers.
    const sources = walk(ROOT).filter(
      (f) =>
        (/^(proto|packages\/[^/]+|services\/[^/]+)\/src\/.+\.ts$/.test(f) ||
          /^services\/[^/]+\.ts$/.test(f)) &&
        !ignored(f) &&
        !f.includes("/testing/"),
    );
    expect(sources.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const f of sources) {
      const text = readFileSync(repoPath(f), "utf8");
      for (const m of text.matchAll(
        /^\s*(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm,
      )) {
        if (m[1]) continue; // type-only imports are erased
        const spec = (m[2] ?? m[3])!;
        if (spec.startsWith(".") || spec.startsWith("node:") || spec.startsWith("bun:") || spec === "bun")
          continue;
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!production.has(pkg)) missing.push(`${f}: ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("the base image is the Debian slim image infra/docker/base-image.sh makes, and every stage starts from it", () => {
    const base = dockerfile
      .find((i) => i.op === "ARG" && i.args.startsWith("BASE_IMAGE="))!
      .args.split("=")[1]!;
    expect(base).toMatch(/^debian:[a-z]+-slim$/);
    const froms = dockerfile.filter((i) => i.op === "FROM").map((i) => i.args.split(/\s+/)[0]);
    for (const f of froms) expect(["${BASE_IMAGE}", ...stages]).toContain(f!);
  });
});
