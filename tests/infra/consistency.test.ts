/**
 * The manifests agree with the services' code: entry points exist, ports and
 * probe paths are the ones the services serve, and every environment variable
 * the manifests give a service is one its config schema knows and accepts.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { containerEnv, find, findGenerated, podTemplate, render } from "./lib/render";
import { OVERLAYS, repoPath, SERVICES, type ServiceSpec } from "./lib/repo";
import { loadSchema, schemaKeys } from "./lib/schema-of";

/** Values the cluster fills in at run time, replaced by realistic stand-ins. */
function concrete(env: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of env) {
    if (v.startsWith("<fieldRef:")) out[k] = "synth-7d9c6b5f4-x2x9q";
    else if (v.startsWith("<secret:") && k === "DATABASE_URL") out[k] = "postgresql://kokoro:secret@postgres-rw.kokoro-edge:5432/kokoro";
    else out[k] = v;
  }
  return out;
}

function mainContainer(overlay: string, s: ServiceSpec) {
  const objs = render(`overlays/${overlay}`);
  const dep = find(objs, "Deployment", s.name);
  const c = podTemplate(dep).containers.find((x: any) => x.name === s.name);
  if (!c) throw new Error(`Deployment ${s.name} has no container named ${s.name}`);
  return { objs, dep, c, env: containerEnv(objs, c) };
}

for (const s of SERVICES) {
  describe(`${s.name}`, () => {
    test("its entry point exists and the image runs it", () => {
      expect(existsSync(repoPath(s.entry))).toBe(true);
      for (const overlay of OVERLAYS) expect(mainContainer(overlay, s).c.args).toEqual([s.entry]);
    });

    test(`its config schema knows ${s.portVar} with default ${s.port}`, async () => {
      const schema = await loadSchema(s);
      const parsed = schema.safeParse({});
      expect(parsed.success).toBe(true);
      expect(parsed.data[s.portVar]).toBe(s.port);
    });

    for (const overlay of OVERLAYS) {
      test(`${overlay}: every env var the manifests set is one the schema knows, and the schema accepts the values`, async () => {
        const schema = await loadSchema(s);
        const { env } = mainContainer(overlay, s);
        const known = new Set(schemaKeys(schema));
        expect([...env.keys()].filter((k) => !known.has(k))).toEqual([]);
        const r = schema.safeParse(concrete(env));
        expect(r.success ? [] : r.error.issues.map((i: any) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
        expect(r.data[s.portVar]).toBe(s.port);
        expect(env.has("DATABASE_URL")).toBe(s.usesDatabase);
        expect(env.get("NATS_URL")).toBe("nats://nats:4222");
        expect(env.get("OTEL_SERVICE_NAME")).toBe(s.name);
      });

      test(`${overlay}: container port, Service and probes use the port and paths the service serves`, () => {
        const { objs, c, env } = mainContainer(overlay, s);
        const port = c.ports.find((p: any) => p.containerPort === s.port);
        expect(port).toBeDefined();
        expect(Number(env.get(s.portVar))).toBe(s.port);
        const svc = find(objs, "Service", s.name);
        expect(svc.spec.ports.map((p: any) => p.targetPort)).toContain(port.name);
        expect(svc.spec.ports.find((p: any) => p.targetPort === port.name).port).toBe(s.port);
        for (const [probe, path] of [["startupProbe", "/healthz"], ["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"]] as const) {
          expect({ probe, get: c[probe]?.httpGet }).toEqual({ probe, get: { path, port: port.name } });
        }
        const ann = podTemplate(find(objs, "Deployment", s.name)) && find(objs, "Deployment", s.name).spec.template.metadata.annotations;
        expect(ann["prometheus.io/port"]).toBe(String(s.port));
        expect(ann["prometheus.io/path"]).toBe("/metrics");
      });

      test(`${overlay}: DATA_DIR and every other directory it writes are mounted writable`, () => {
        const { c, env, dep } = mainContainer(overlay, s);
        const mounts = (c.volumeMounts ?? []).filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
        expect(mounts).toContain(env.get("DATA_DIR"));
        expect(mounts).toContain("/tmp");
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        if (s.name === "model-mirror") {
          const m = c.volumeMounts.find((x: any) => x.mountPath === env.get("MIRROR_DIR"));
          const vol = podTemplate(dep).volumes.find((v: any) => v.name === m.name);
          expect(vol.persistentVolumeClaim?.claimName).toBe("model-mirror-store");
        }
      });
    }
  });
}

describe("cross-service wiring", () => {
  for (const overlay of OVERLAYS) {
    test(`${overlay}: NATS_URL and the mirror URLs name real Services and ports`, () => {
      const objs = render(`overlays/${overlay}`);
      const svcPort = (url: string) => {
        const u = new URL(url);
        const svc = find(objs, "Service", u.hostname);
        return svc.spec.ports.some((p: any) => p.port === Number(u.port));
      };
      expect(svcPort("nats://nats:4222")).toBe(true);
      const mirrorEnv = containerEnv(objs, podTemplate(find(objs, "Deployment", "model-mirror")).containers[0]);
      expect(svcPort(mirrorEnv.get("MIRROR_PUBLIC_URL")!)).toBe(true);
      const models = findGenerated(objs, "ConfigMap", "models")!;
      expect(svcPort(models.data!.MIRROR_URL!)).toBe(true);
    });

    test(`${overlay}: g2p's init container fills LEXICON_DIR from a repo the mirror keeps, or does nothing`, async () => {
      const objs = render(`overlays/${overlay}`);
      const pod = podTemplate(find(objs, "Deployment", "g2p"));
      const init = pod.initContainers.find((c: any) => c.name === "fetch-models");
      expect(existsSync(repoPath(init.args[0]))).toBe(true);
      const initEnv = containerEnv(objs, init);
      const args: string[] = init.args.map((a: string) => a.replace(/\$\(([A-Z_]+)\)/g, (_, k) => initEnv.get(k) ?? `$(${k})`));
      expect(args.join(" ")).not.toContain("$(");
      const dest = args[args.indexOf("--dest") + 1];
      const g2pEnv = containerEnv(objs, pod.containers[0]);
      expect(g2pEnv.get("LEXICON_DIR")).toBe(dest);
      // g2p reads config.json (the vocab) from the mirror over NATS.
      expect(g2pEnv.has("KOKORO_CONFIG")).toBe(false);
      const shared = pod.containers[0].volumeMounts.find((m: any) => dest!.startsWith(m.mountPath));
      expect(init.volumeMounts.find((m: any) => dest!.startsWith(m.mountPath)).name).toBe(shared.name);
      const { parseSpec, globToRegExp } = await import(repoPath("infra/docker/fetch-models.ts"));
      const mirrorSchema = await loadSchema(SERVICES.find((s) => s.name === "model-mirror")!);
      const mirrorEnv = concrete(containerEnv(objs, podTemplate(find(objs, "Deployment", "model-mirror")).containers[0]));
      const repos: { repo: string; revision: string; patterns: string[] }[] = mirrorSchema.parse(mirrorEnv).MIRROR_REPOS;
      for (const a of args.slice(args.indexOf("--dest") + 2).filter((x) => !x.startsWith("--") && x !== "?")) {
        const spec = parseSpec(a);
        const kept = repos.find((r) => r.repo === spec.repo && r.revision === spec.revision);
        expect({ spec: a, kept: !!kept }).toEqual({ spec: a, kept: true });
        expect(kept!.patterns.some((p) => p === spec.glob || globToRegExp(p).test(spec.glob))).toBe(true);
      }
    });

    test(`${overlay}: the mirror keeps exactly one model file, voices and config.json`, async () => {
      const objs = render(`overlays/${overlay}`);
      const mirrorSchema = await loadSchema(SERVICES.find((s) => s.name === "model-mirror")!);
      const env = concrete(containerEnv(objs, podTemplate(find(objs, "Deployment", "model-mirror")).containers[0]));
      const repos = mirrorSchema.parse(env).MIRROR_REPOS;
      expect(repos.length).toBe(1);
      const pats: string[] = repos[0].patterns;
      expect(pats.filter((p) => p.endsWith(".onnx"))).toHaveLength(1);
      expect(pats).toContain("voices/*.bin");
      expect(pats).toContain("config.json");
      // synth finds its model and voices, g2p its vocab, through the mirror.
      const synthEnv = containerEnv(objs, podTemplate(find(objs, "Deployment", "synth")).containers[0]);
      expect(synthEnv.has("KOKORO_MODEL")).toBe(false);
      expect(synthEnv.has("VOICES_DIR")).toBe(false);
    });
  }

  test("the gateway exports the metric KEDA scales synth on", () => {
    const src = ["metrics.ts"].map((f) => repoPath("services/gateway/src", f)).filter(existsSync).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(src).toContain("# TYPE kokoro_synth_queue_depth gauge");
    for (const overlay of OVERLAYS) expect(find(render(`overlays/${overlay}`), "ScaledObject", "synth").spec.triggers[0].metadata.query).toMatch(/\bkokoro_synth_queue_depth\{/);
  });
});
