import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { K8S } from "./repo";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  [k: string]: any;
}

const cache = new Map<string, K8sObject[]>();

/** `kubectl kustomize infra/k8s/<dir>`, parsed. Throws with kubectl's message on failure. */
export function render(dir: string): K8sObject[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const objs = kustomize(join(K8S, dir), dir);
  cache.set(dir, objs);
  return objs;
}

/**
 * A throwaway overlay on top of infra/k8s/<dir>, as an operator would write
 * one: `extra` is the rest of its kustomization.yaml (e.g. a configMapGenerator
 * merge). Not cached.
 */
export function renderWith(dir: string, extra: string): K8sObject[] {
  const tmp = mkdtempSync(join(tmpdir(), "kustomize-"));
  try {
    // kustomize takes only relative paths to other kustomizations.
    writeFileSync(
      join(tmp, "kustomization.yaml"),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${relative(tmp, join(K8S, dir))}\n${extra}`,
    );
    return kustomize(tmp, `${dir} + ${extra.trim().replace(/\s+/g, " ")}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function kustomize(path: string, dir: string): K8sObject[] {
  const r = spawnSync("kubectl", ["kustomize", path], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`kubectl not runnable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${r.stderr}`);
  const docs = parseAllDocuments(r.stdout);
  const objs: K8sObject[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`YAML from kustomize ${dir}: ${d.errors[0]!.message}`);
    const o = d.toJS();
    if (!o) continue;
    // kustomize folds long base64 values over lines; the API server's decoder
    // (Go encoding/base64) ignores the newlines, so do the same here.
    if (o.kind === "Secret" && o.data)
      for (const k of Object.keys(o.data)) o.data[k] = String(o.data[k]).replace(/\s+/g, "");
    objs.push(o);
  }
  return objs;
}

export function find(objs: K8sObject[], kind: string, name: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in the rendered output`);
  return o;
}

/** Name prefix match for generated (hash-suffixed) ConfigMaps and Secrets. */
export function findGenerated(
  objs: K8sObject[],
  kind: "ConfigMap" | "Secret",
  name: string,
): K8sObject | undefined {
  return objs.find(
    (x) =>
      x.kind === kind &&
      (x.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(x.metadata.name)),
  );
}

/** The container of a Deployment named like the Deployment (the service's own). */
export function serviceContainer(objs: K8sObject[], name: string): any {
  const c = podTemplate(find(objs, "Deployment", name)).containers.find((x: any) => x.name === name);
  if (!c) throw new Error(`Deployment ${name} has no container named ${name}`);
  return c;
}

export function podTemplate(o: K8sObject): any {
  return o.spec?.template?.spec;
}

export function secretValue(s: K8sObject, key: string): string | undefined {
  if (s.stringData?.[key] !== undefined) return s.stringData[key];
  const b = s.data?.[key];
  return b === undefined ? undefined : Buffer.from(b, "base64").toString("utf8");
}

/**
 * The environment a container starts with, as far as the manifests decide it:
 * envFrom ConfigMaps/Secrets first, then `env` (which wins). Values from
 * fieldRefs are given as `<fieldRef:path>`; secretKeyRefs to Secrets the
 * overlay does not render (e.g. made by an operator) as `<secret:name/key>`.
 */
export function containerEnv(objs: K8sObject[], c: any, origins?: Map<string, string>): Map<string, string> {
  const env = new Map<string, string>();
  for (const ef of c.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    const kind = ef.configMapRef ? "ConfigMap" : "Secret";
    const src = objs.find((x) => x.kind === kind && x.metadata.name === ref.name);
    if (!src) throw new Error(`container ${c.name}: envFrom ${kind} ${ref.name} is not rendered`);
    const keys = Object.keys({ ...(src.data ?? {}), ...(src.stringData ?? {}) });
    for (const k of keys) {
      env.set(
        (ef.prefix ?? "") + k,
        kind === "ConfigMap" ? (src.data?.[k] ?? "") : (secretValue(src, k) ?? ""),
      );
      origins?.set((ef.prefix ?? "") + k, `${kind}/${ref.name}`);
    }
  }
  for (const e of c.env ?? []) {
    origins?.set(e.name, `${c.name}.env`);
    if (e.value !== undefined) env.set(e.name, String(e.value));
    else if (e.valueFrom?.fieldRef) env.set(e.name, `<fieldRef:${e.valueFrom.fieldRef.fieldPath}>`);
    else if (e.valueFrom?.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      const cm = objs.find((x) => x.kind === "ConfigMap" && x.metadata.name === r.name);
      if (!cm || cm.data?.[r.key] === undefined)
        throw new Error(`${c.name}: ${e.name} refers to missing ConfigMap key ${r.name}/${r.key}`);
      env.set(e.name, cm.data[r.key]!);
    } else if (e.valueFrom?.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      const s = objs.find((x) => x.kind === "Secret" && x.metadata.name === r.name);
      env.set(
        e.name,
        s ? (secretValue(s, r.key) ?? `<missing:${r.name}/${r.key}>`) : `<secret:${r.name}/${r.key}>`,
      );
    } else env.set(e.name, "");
  }
  return env;
}

/** Which object sets each of a container's variables: `ConfigMap/<name>`, `Secret/<name>`, or `<container>.env`. */
export function envOrigins(objs: K8sObject[], c: any): Map<string, string> {
  const origins = new Map<string, string>();
  containerEnv(objs, c, origins);
  return origins;
}

/** A container's environment with the values the cluster fills in at run time replaced by realistic stand-ins. */
export function concreteEnv(env: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of env) {
    if (v.startsWith("<fieldRef:")) out[k] = "synth-7d9c6b5f4-x2x9q";
    else if (v.startsWith("<secret:") && k === "DATABASE_URL")
      out[k] = "postgresql://kokoro:secret@postgres-rw.kokoro-edge:5432/kokoro";
    else out[k] = v;
  }
  return out;
}
