import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { K8S } from "./repo";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
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
  const r = spawnSync("kubectl", ["kustomize", join(K8S, dir)], { encoding: "utf8", maxBuffer: 64 << 20 });
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
    if (o.kind === "Secret" && o.data) for (const k of Object.keys(o.data)) o.data[k] = String(o.data[k]).replace(/\s+/g, "");
    objs.push(o);
  }
  cache.set(dir, objs);
  return objs;
}

export function find(objs: K8sObject[], kind: string, name: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in the rendered output`);
  return o;
}

/** Name prefix match for generated (hash-suffixed) ConfigMaps and Secrets. */
export function findGenerated(objs: K8sObject[], kind: "ConfigMap" | "Secret", name: string): K8sObject | undefined {
  return objs.find((x) => x.kind === kind && (x.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(x.metadata.name)));
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
export function containerEnv(objs: K8sObject[], c: any): Map<string, string> {
  const env = new Map<string, string>();
  for (const ef of c.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    const kind = ef.configMapRef ? "ConfigMap" : "Secret";
    const src = objs.find((x) => x.kind === kind && x.metadata.name === ref.name);
    if (!src) throw new Error(`container ${c.name}: envFrom ${kind} ${ref.name} is not rendered`);
    const keys = Object.keys({ ...(src.data ?? {}), ...(src.stringData ?? {}) });
    for (const k of keys) env.set((ef.prefix ?? "") + k, kind === "ConfigMap" ? (src.data?.[k] ?? "") : (secretValue(src, k) ?? ""));
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.set(e.name, String(e.value));
    else if (e.valueFrom?.fieldRef) env.set(e.name, `<fieldRef:${e.valueFrom.fieldRef.fieldPath}>`);
    else if (e.valueFrom?.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      const cm = objs.find((x) => x.kind === "ConfigMap" && x.metadata.name === r.name);
      if (!cm || cm.data?.[r.key] === undefined) throw new Error(`${c.name}: ${e.name} refers to missing ConfigMap key ${r.name}/${r.key}`);
      env.set(e.name, cm.data[r.key]!);
    } else if (e.valueFrom?.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      const s = objs.find((x) => x.kind === "Secret" && x.metadata.name === r.name);
      env.set(e.name, s ? (secretValue(s, r.key) ?? `<missing:${r.name}/${r.key}>`) : `<secret:${r.name}/${r.key}>`);
    } else env.set(e.name, "");
  }
  return env;
}
