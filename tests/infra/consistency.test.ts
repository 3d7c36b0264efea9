/**
 * The manifests agree with the services' code: entry points exist, ports and
 * probe paths are the ones the services serve, and every environment variable
 * the manifests give a service is one its config schema knows and accepts.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { DEFAULT_DTYPE, DTYPES, MODEL_VARIANTS, type Dtype } from "@kokoro-edge/proto";
import {
  concreteEnv as concrete,
  containerEnv,
  envOrigins,
  find,
  podTemplate,
  render,
  renderWith,
  serviceContainer,
  type K8sObject,
} from "./lib/render";
import { expectAgreement, modelWiring } from "./lib/model-wiring";
import { OVERLAYS, repoPath, SERVICES, type ServiceSpec } from "./lib/repo";
import { loadSchema, schemaKeys } from "./lib/schema-of";

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
        expect(r.success ? [] : r.error.issues.map((i: any) => `${i.path.join(".")}: ${i.message}`)).toEqual(
          [],
        );
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
        for (const [probe, path] of [
          ["startupProbe", "/healthz"],
          ["livenessProbe", "/healthz"],
          ["readinessProbe", "/readyz"],
        ] as const) {
          expect({ probe, get: c[probe]?.httpGet }).toEqual({ probe, get: { path, port: port.name } });
        }
        const ann =
          podTemplate(find(objs, "Deployment", s.name)) &&
          find(objs, "Deployment", s.name).spec.template.metadata.annotations;
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

/** The model wiring of a rendered stack, from the environment its mirror and synth containers get. */
const wiringOf = (objs: K8sObject[]) =>
  modelWiring(
    concrete(containerEnv(objs, serviceContainer(objs, "model-mirror"))),
    concrete(containerEnv(objs, serviceContainer(objs, "synth"))),
  );
const dtypeMerge = (configMap: string, dtype: Dtype) =>
  `configMapGenerator:\n  - name: ${configMap}\n    behavior: merge\n    literals: [KOKORO_DTYPE=${dtype}]\n`;

describe("cross-service wiring", () => {
  for (const overlay of OVERLAYS) {
    test(`${overlay}: NATS_URL and the mirror's public URL name real Services and ports`, () => {
      const objs = render(`overlays/${overlay}`);
      const svcPort = (url: string) => {
        const u = new URL(url);
        const svc = find(objs, "Service", u.hostname);
        return svc.spec.ports.some((p: any) => p.port === Number(u.port));
      };
      expect(svcPort("nats://nats:4222")).toBe(true);
      // g2p and synth download from the URL the mirror puts in its lookup replies.
      expect(
        svcPort(containerEnv(objs, serviceContainer(objs, "model-mirror")).get("MIRROR_PUBLIC_URL")!),
      ).toBe(true);
    });

    test(`${overlay}: KOKORO_DTYPE is set once, in one ConfigMap that both the mirror and synth read`, () => {
      const objs = render(`overlays/${overlay}`);
      const from = (name: string) => envOrigins(objs, serviceContainer(objs, name)).get("KOKORO_DTYPE");
      expect(from("model-mirror")).toMatch(/^ConfigMap\/kokoro-model-[a-z0-9]{10}$/);
      expect(from("synth")).toBe(from("model-mirror"));
      // No MIRROR_REPOS override: the mirror's default follows KOKORO_DTYPE.
      expect(containerEnv(objs, serviceContainer(objs, "model-mirror")).has("MIRROR_REPOS")).toBe(false);
      // Nobody else is given it (g2p's and the gateway's schemas do not know it).
      for (const s of ["gateway", "g2p"])
        expect({ s, has: containerEnv(objs, serviceContainer(objs, s)).has("KOKORO_DTYPE") }).toEqual({
          s,
          has: false,
        });
    });

    test(`${overlay}: the mirror keeps one model variant, tokenizer.json, the voices and misaki's lexicons; synth loads that variant`, async () => {
      const objs = render(`overlays/${overlay}`);
      const synthEnv = containerEnv(objs, serviceContainer(objs, "synth"));
      expect(synthEnv.get("KOKORO_DTYPE")).toBe(DEFAULT_DTYPE);
      expectAgreement(await wiringOf(objs), DEFAULT_DTYPE, overlay);
      // synth finds its model and voices, g2p its vocab and lexicons, through the mirror.
      expect(synthEnv.has("KOKORO_MODEL")).toBe(false);
      expect(synthEnv.has("VOICES_DIR")).toBe(false);
    });

    test(`${overlay}: g2p takes its vocab and the lexicons from the mirror, with no init container and nothing to copy`, () => {
      const objs = render(`overlays/${overlay}`);
      expect(podTemplate(find(objs, "Deployment", "g2p")).initContainers ?? []).toEqual([]);
      const env = containerEnv(objs, serviceContainer(objs, "g2p"));
      expect(env.has("KOKORO_CONFIG")).toBe(false);
      expect(env.has("LEXICON_DIR")).toBe(false);
      // Its only mounts are DATA_DIR and /tmp: the files come over HTTP.
      expect(
        serviceContainer(objs, "g2p")
          .volumeMounts.map((m: any) => m.mountPath)
          .sort(),
      ).toEqual([env.get("DATA_DIR"), "/tmp"].sort());
    });
  }

  test("changing KOKORO_DTYPE in one place (an overlay's kokoro-model merge) moves the mirror and synth together, for every variant", async () => {
    for (const overlay of OVERLAYS)
      for (const dtype of DTYPES)
        expectAgreement(
          await wiringOf(renderWith(`overlays/${overlay}`, dtypeMerge("kokoro-model", dtype))),
          dtype,
          `${overlay} with KOKORO_DTYPE=${dtype}`,
        );
  });

  test("the checks catch a disagreement: synth given another KOKORO_DTYPE, or the mirror the old config.json layout", async () => {
    const synthOnly = await wiringOf(
      renderWith(
        "overlays/prod",
        "patches:\n  - target: { kind: Deployment, name: synth }\n    patch: |-\n      - op: add\n        path: /spec/template/spec/containers/0/env/-\n        value: { name: KOKORO_DTYPE, value: fp32 }\n",
      ),
    );
    expect(synthOnly.mirrorModels).toEqual([MODEL_VARIANTS[DEFAULT_DTYPE]]);
    expect(synthOnly.synthLoads).toContain(
      `KOKORO_DTYPE=fp32 wants ${MODEL_VARIANTS.fp32}, which the model mirror does not hold`,
    );
    const oldLayout = await wiringOf(
      renderWith(
        "overlays/dev",
        "configMapGenerator:\n  - name: model-mirror-config\n    behavior: merge\n    literals: [MIRROR_REPOS=onnx-community/Kokoro-82M-v1.0-ONNX@main:onnx/model.onnx;config.json;voices/*.bin]\n",
      ),
    );
    expect(oldLayout.mirrorModels).toEqual([MODEL_VARIANTS.fp32]);
    expect(oldLayout.synthLoads).toContain(
      `KOKORO_DTYPE=${DEFAULT_DTYPE} wants ${MODEL_VARIANTS[DEFAULT_DTYPE]}`,
    );
    expect(oldLayout.keepsTokenizer).toBe(false);
  });

  test("the synth workers export the metric KEDA scales synth on", () => {
    const src = readFileSync(repoPath("services/synth/src/metrics.ts"), "utf8");
    expect(src).toContain('name: "kokoro_synth_queue_depth"');
    for (const overlay of OVERLAYS)
      expect(
        find(render(`overlays/${overlay}`), "ScaledObject", "synth").spec.triggers[0].metadata.query,
      ).toMatch(/\bkokoro_synth_queue_depth\{/);
  });
});
