/**
 * Offline validation of rendered objects against the Kubernetes OpenAPI
 * schemas compiled into `kubernetes-models` (and `@kubernetes-models/keda`
 * for KEDA's CRDs). Those validators ignore unknown fields, which the API
 * server (kubectl's default --validate=strict) rejects; so the data is
 * wrapped in a Proxy that records which properties the validator reads, and
 * any property it never looked at is reported as unknown. Objects whose keys
 * the validator enumerates (maps such as labels, or free-form fields) count as
 * fully known.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const req = createRequire(import.meta.url);
const pkgDir = (p: string) => dirname(req.resolve(`${p}/package.json`));

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; keyword: string; params: unknown }[] | null;
};

const GROUP: Record<string, string> = {
  v1: "IoK8sApiCoreV1",
  "apps/v1": "IoK8sApiAppsV1",
  "policy/v1": "IoK8sApiPolicyV1",
  "networking.k8s.io/v1": "IoK8sApiNetworkingV1",
  "autoscaling/v2": "IoK8sApiAutoscalingV2",
  "batch/v1": "IoK8sApiBatchV1",
  "rbac.authorization.k8s.io/v1": "IoK8sApiRbacV1",
};

const CRD: Record<string, { pkg: string; prefix: string }> = {
  "keda.sh/v1alpha1": { pkg: "@kubernetes-models/keda", prefix: "KedaShV1alpha1" },
  "monitoring.coreos.com/v1": {
    pkg: "@kubernetes-models/prometheus-operator",
    prefix: "ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1",
  },
};

/**
 * CRDs with no schema package on npm. Validated by hand in the tests that
 * use them (postgres-cnpg checks in kustomize.test.ts, cert-manager's
 * Certificate in nats-websocket.test.ts).
 */
export const UNSCHEMATIZED = new Set(["postgresql.cnpg.io/v1/Cluster", "cert-manager.io/v1/Certificate"]);

export function schemaFor(apiVersion: string, kind: string): Validate | undefined {
  const core = GROUP[apiVersion];
  const crd = CRD[apiVersion];
  const file = core
    ? join(pkgDir("kubernetes-models"), "_schemas", `${core}${kind}.js`)
    : crd
      ? join(pkgDir(crd.pkg), "_schemas", `${crd.prefix}${kind}.js`)
      : undefined;
  if (!file) return undefined;
  try {
    return req(file).validate as Validate;
  } catch {
    return undefined;
  }
}

interface Seen {
  read: Set<string>;
  enumerated: boolean;
  path: string;
}

function track(root: object) {
  const seen = new Map<object, Seen>();
  const proxies = new Map<object, object>();
  const wrap = (x: unknown, path: string): unknown => {
    if (!x || typeof x !== "object") return x;
    const hit = proxies.get(x);
    if (hit) return hit;
    const info: Seen = { read: new Set(), enumerated: false, path };
    seen.set(x, info);
    const p = new Proxy(x, {
      get(t, k, r) {
        const v = Reflect.get(t, k, r);
        if (typeof k !== "string") return v;
        info.read.add(k);
        return wrap(v, `${path}/${k}`);
      },
      has(t, k) {
        if (typeof k === "string") info.read.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        info.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(x, p);
    return p;
  };
  return { proxy: wrap(root, ""), seen };
}

/** Problems with one object: schema errors and unknown fields. Empty when valid. */
export function validateObject(o: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}): string[] {
  const v = schemaFor(o.apiVersion, o.kind);
  if (!v) return [`no schema for ${o.apiVersion} ${o.kind}`];
  const { proxy, seen } = track(o);
  const ok = v(proxy);
  const problems = ok
    ? []
    : (v.errors ?? []).map(
        (e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
      );
  for (const [obj, info] of seen) {
    if (Array.isArray(obj) || info.enumerated) continue;
    for (const k of Object.keys(obj))
      if (!info.read.has(k)) problems.push(`${info.path}/${k}: unknown field`);
  }
  return problems;
}
