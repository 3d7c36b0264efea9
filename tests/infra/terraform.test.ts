/**
 * infra/terraform, checked without terraform: every .tf file parses (HCL2,
 * via @cdktf/hcl2json), every variable is declared with a type and a
 * description and is used, every var./local./resource reference resolves,
 * and the module's services agree with the services' code.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { DEFAULT_DTYPE, DTYPES, KOKORO_REPO, MODEL_VARIANTS } from "@kokoro-edge/proto";
import { evaluate, type Scope } from "./lib/hcl-eval";
import { expectAgreement, modelWiring } from "./lib/model-wiring";
import { find, podTemplate, render } from "./lib/render";
import { loadSchema } from "./lib/schema-of";
import { repoPath, SERVICES, TERRAFORM } from "./lib/repo";

type Json = Record<string, any>;
const tfFiles = readdirSync(TERRAFORM).filter((f) => f.endsWith(".tf"));
const parsed: Record<string, Json> = {};

beforeAll(async () => {
  for (const f of tfFiles) parsed[f] = await parse(f, readFileSync(join(TERRAFORM, f), "utf8"));
});

const blocks = (type: string): [string, Json][] =>
  Object.values(parsed).flatMap((j) => Object.entries(j[type] ?? {}));
const variables = () => Object.fromEntries(blocks("variable").map(([k, v]) => [k, (v as Json[])[0]!]));
const locals = () => Object.assign({}, ...Object.values(parsed).flatMap((j) => (j.locals ?? []) as Json[]));
/** Everything but the variable declarations, as text, for reference scans. */
const usageText = () =>
  Object.values(parsed)
    .map((j) => JSON.stringify(Object.fromEntries(Object.entries(j).filter(([k]) => k !== "variable"))))
    .join("\n");
const refs = (text: string, re: RegExp) => new Set([...text.matchAll(re)].map((m) => m[1]!));
/** The module's variables at their defaults (required ones given example values), with `over` on top. */
function scope(over: Record<string, any>): Scope {
  const defaults = Object.fromEntries(
    Object.entries(variables()).map(([k, v]) => [k, "default" in v ? v.default : `<${k}>`]),
  );
  return { vars: { ...defaults, ...over }, locals: locals() };
}

test("the parser rejects broken HCL (so a parse that passes means something)", async () => {
  await expect(parse("bad.tf", 'variable "x" {\n  type = string\n')).rejects.toBeDefined();
  await expect(parse("bad.tf", 'resource "a" "b" { x = }')).rejects.toBeDefined();
});

describe("infra/terraform", () => {
  test("has the module files and pins the kubernetes and helm providers", () => {
    for (const f of ["versions.tf", "variables.tf", "main.tf", "outputs.tf"]) expect(tfFiles).toContain(f);
    const tf = parsed["versions.tf"]!.terraform[0];
    const providers = tf.required_providers[0];
    expect(providers.kubernetes.source).toBe("hashicorp/kubernetes");
    expect(providers.helm.source).toBe("hashicorp/helm");
    expect(tf.required_version).toMatch(/>=\s*1\.\d+/);
  });

  test("every variable has a type and a description", () => {
    const vars = variables();
    expect(Object.keys(vars).length).toBeGreaterThan(10);
    for (const [name, v] of Object.entries(vars)) {
      expect({ name, type: typeof v.type }).toEqual({ name, type: "string" });
      expect({ name, described: typeof v.description === "string" && v.description.length > 10 }).toEqual({
        name,
        described: true,
      });
    }
  });

  test("the variables the issue asks for exist: image tags, replica bounds, model repo and revision, database URL", () => {
    const vars = variables();
    for (const v of [
      "image_tags",
      "gateway_replicas",
      "synth_replicas",
      "model_repo",
      "model_revision",
      "database_url",
    ])
      expect(vars).toHaveProperty(v);
    expect(vars.database_url!.sensitive).toBe(true);
    expect(vars.database_url!.default).toBeUndefined();
    expect(vars.synth_replicas!.default).toEqual({ min: 1, max: expect.any(Number) });
    // One tag per service.
    for (const s of SERVICES) expect(vars.image_tags!.default).toHaveProperty(s.name);
  });

  test("every declared variable is used, and every var. reference is declared", () => {
    const declared = new Set(Object.keys(variables()));
    const used = refs(usageText(), /\bvar\.([A-Za-z_][\w-]*)/g);
    expect([...declared].filter((v) => !used.has(v))).toEqual([]);
    // References inside variable validations count as declared-by-themselves.
    const all = refs(
      Object.values(parsed)
        .map((j) => JSON.stringify(j))
        .join("\n"),
      /\bvar\.([A-Za-z_][\w-]*)/g,
    );
    expect([...all].filter((v) => !declared.has(v))).toEqual([]);
  });

  test("every local. reference and every resource reference resolves", () => {
    const text = Object.values(parsed)
      .map((j) => JSON.stringify(j))
      .join("\n");
    const localNames = new Set(Object.keys(locals()));
    expect([...refs(text, /\blocal\.([A-Za-z_]\w*)/g)].filter((l) => !localNames.has(l))).toEqual([]);
    const declaredResources = new Set(
      Object.values(parsed).flatMap((j) =>
        Object.entries(j.resource ?? {}).flatMap(([type, byName]) =>
          Object.keys(byName as Json).map((n) => `${type}.${n}`),
        ),
      ),
    );
    const used = refs(text, /\b((?:kubernetes|helm)_[a-z0-9_]+\.[a-z0-9_]+)/g);
    expect([...used].filter((r) => !declaredResources.has(r))).toEqual([]);
    expect(declaredResources.size).toBeGreaterThan(10);
  });

  test("every output is described", () => {
    for (const [name, o] of blocks("output"))
      expect({ name, d: typeof (o as Json[])[0]!.description }).toEqual({ name, d: "string" });
  });

  test("deploys what the kustomize base deploys", () => {
    const types = new Set(Object.values(parsed).flatMap((j) => Object.keys(j.resource ?? {})));
    for (const t of [
      "kubernetes_deployment_v1",
      "kubernetes_service_v1",
      "kubernetes_config_map_v1",
      "kubernetes_secret_v1",
      "kubernetes_persistent_volume_claim_v1",
      "kubernetes_horizontal_pod_autoscaler_v2",
      "kubernetes_manifest",
      "kubernetes_pod_disruption_budget_v1",
      "kubernetes_network_policy_v1",
      "kubernetes_ingress_v1",
      "helm_release",
    ])
      expect(types).toContain(t);
    const so = parsed["main.tf"]!.resource.kubernetes_manifest.synth_scaledobject[0].manifest;
    expect(so.kind).toBe("ScaledObject");
    expect(so.spec.triggers[0].type).toBe("prometheus");
    expect(so.spec.triggers[0].metadata.query).toContain("kokoro_synth_queue_depth");
    expect(so.spec.minReplicaCount).toBe("${var.synth_replicas.min}");
    const nats = parsed["helm.tf"]!.resource.helm_release.nats[0];
    expect(nats.chart).toBe("nats");
    expect(nats.values[0]).toMatch(/jetstream\s*=\s*\{\s*enabled\s*=\s*true/);
  });

  test("its services agree with the services' code: entry points, ports, env keys", async () => {
    const l = locals();
    expect(Object.keys(l.services).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const s of SERVICES) {
      const t = l.services[s.name];
      expect(t.args).toEqual([s.entry]);
      expect(existsSync(repoPath(t.args[0]))).toBe(true);
      expect(t.port).toBe(s.port);
      expect(t.env[s.portVar]).toBe(String(s.port));
      expect(t.database).toBe(s.usesDatabase);
      let obj: any = await loadSchema(s);
      while (obj && !obj.shape) obj = obj.def?.in ?? obj._def?.in ?? obj._def?.schema;
      const known = new Set(Object.keys(obj.shape));
      const keys = [
        ...Object.keys(l.common_env),
        ...Object.keys(t.env),
        "INSTANCE_ID",
        "OTEL_SERVICE_NAME",
        ...(t.database ? ["DATABASE_URL"] : []),
      ];
      expect({ service: s.name, unknown: keys.filter((k) => !known.has(k)) }).toEqual({
        service: s.name,
        unknown: [],
      });
    }
    // Same sizing as the kustomize base (one place to read the measurements from).
    for (const s of SERVICES) {
      const c = podTemplate(find(render("base"), "Deployment", s.name)).containers[0];
      expect({ s: s.name, requests: l.services[s.name].requests, limits: l.services[s.name].limits }).toEqual(
        { s: s.name, requests: c.resources.requests, limits: c.resources.limits },
      );
    }
  });

  test("kokoro_dtype: one variable, validated against the eight variants, given to both synth and the mirror", () => {
    const vars = variables();
    expect(vars).not.toHaveProperty("model_file");
    expect(vars.kokoro_dtype!.default).toBe(DEFAULT_DTYPE);
    const check = (value: string) =>
      evaluate(vars.kokoro_dtype!.validation[0].condition, scope({ kokoro_dtype: value }));
    for (const d of DTYPES) expect({ d, ok: check(d) }).toEqual({ d, ok: true });
    for (const bad of ["int8", "Q8", "fp32 ", "onnx/model.onnx", ""])
      expect({ bad, ok: check(bad) }).toEqual({ bad, ok: false });
    // The module's table of files is proto's.
    expect(locals().model_variants).toEqual({ ...MODEL_VARIANTS });
    const env = (s: string) => locals().services[s].env;
    expect(env("synth").KOKORO_DTYPE).toBe("${var.kokoro_dtype}");
    expect(env("model-mirror").KOKORO_DTYPE).toBe("${var.kokoro_dtype}");
  });

  test("for every kokoro_dtype the mirror keeps that one variant, tokenizer.json, the voices and misaki's lexicons, and synth loads it", async () => {
    for (const d of DTYPES) {
      const env = (s: string) =>
        evaluate(locals().services[s].env, scope({ kokoro_dtype: d })) as Record<string, string>;
      expectAgreement(
        await modelWiring(env("model-mirror"), env("synth")),
        d,
        `terraform, kokoro_dtype = "${d}"`,
      );
    }
    // At the default repo and revision, MIRROR_REPOS is what the mirror would fetch by itself;
    // it is set so that model_revision can pin a commit, and extra repos come after the model's.
    const mirrorSchema = await loadSchema(SERVICES.find((x) => x.name === "model-mirror")!);
    const repos = (vars: Record<string, any>) =>
      mirrorSchema.parse(evaluate(locals().services["model-mirror"].env, scope(vars))).MIRROR_REPOS as {
        repo: string;
        revision: string;
      }[];
    for (const d of DTYPES)
      expect(repos({ kokoro_dtype: d })).toEqual(mirrorSchema.parse({ KOKORO_DTYPE: d }).MIRROR_REPOS);
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const pinned = repos({ model_revision: sha, extra_mirror_repos: ["acme/extra@v1:*.json"] });
    expect(pinned.slice(0, 2).map((r) => `${r.repo}@${r.revision}`)).toEqual([
      `${KOKORO_REPO}@${sha}`,
      "acme/extra@v1",
    ]);
  });

  test("g2p has no init container, no LEXICON_DIR or KOKORO_CONFIG: the vocab and lexicons come from the mirror", () => {
    const tmpl = parsed["main.tf"]!.resource.kubernetes_deployment_v1.service[0].spec[0].template[0].spec[0];
    expect(tmpl.init_container ?? tmpl.dynamic?.init_container).toBeUndefined();
    const g2p = locals().services.g2p.env;
    expect(Object.keys(g2p).filter((k) => ["LEXICON_DIR", "KOKORO_CONFIG"].includes(k))).toEqual([]);
    expect(Object.keys(parsed["main.tf"]!.resource.kubernetes_config_map_v1)).toEqual(["env"]);
  });

  test("the expression evaluator refuses what it cannot follow", () => {
    const s = scope({});
    expect(evaluate('${join("-", concat(["a"], ["b", "c"]))}', s)).toBe("a-b-c");
    expect(() => evaluate('${var.kokoro_dtype == "q8" ? 1 : 2}', s)).toThrow(/unsupported/);
    expect(() => evaluate("${lower(var.kokoro_dtype)}", s)).toThrow(/not known here/);
    expect(() => evaluate("${var.nope}", s)).toThrow(/not known/);
  });

  test("the example tfvars set only declared variables and every required one", async () => {
    const ex = await parse("x.tfvars", readFileSync(join(TERRAFORM, "examples.tfvars.example"), "utf8"));
    const vars = variables();
    expect(Object.keys(ex).filter((k) => !(k in vars))).toEqual([]);
    const required = Object.entries(vars)
      .filter(([, v]) => !("default" in v))
      .map(([k]) => k);
    expect(required.filter((k) => !(k in ex))).toEqual([]);
  });
});
