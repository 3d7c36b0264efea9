/**
 * infra/k8s: every overlay builds with `kubectl kustomize`, every rendered
 * object validates against the Kubernetes schemas (KEDA's CRDs too; the
 * CloudNativePG Cluster has no schema package, so its fields are checked by
 * hand), and the objects refer to each other correctly.
 */
import { describe, expect, test } from "bun:test";
import {
  concreteEnv,
  containerEnv,
  find,
  findGenerated,
  type K8sObject,
  podTemplate,
  render,
  serviceContainer,
} from "./lib/render";
import { modelWiring } from "./lib/model-wiring";
import { OVERLAYS, SERVICES } from "./lib/repo";
import { UNSCHEMATIZED, validateObject } from "./lib/schemas";

const NAMESPACE = { dev: "kokoro-edge-dev", prod: "kokoro-edge" } as const;
const WORKLOADS = ["Deployment", "StatefulSet"];
const quantity = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[numkMGTPE]i?|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

function podsOf(objs: K8sObject[]) {
  return objs
    .filter((o) => WORKLOADS.includes(o.kind))
    .map((o) => ({ o, labels: o.spec.template.metadata?.labels ?? {}, spec: podTemplate(o) }));
}
const matches = (sel: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(sel).every(([k, v]) => labels[k] === v);
function selects(selector: any, labels: Record<string, string>): boolean {
  if (!matches(selector.matchLabels ?? {}, labels)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

type Pod = ReturnType<typeof podsOf>[number];
const portMatches = (ports: any[] | undefined, port: number) =>
  !ports || ports.some((p) => p.port === port && (p.protocol ?? "TCP") === "TCP");

/** NetworkPolicy semantics for TCP `port` on pod `to` from pod `from` in the same namespace. */
function ingressAllowed(pols: K8sObject[], from: Pod, to: Pod, port: number): boolean {
  const applying = pols.filter(
    (p) => (p.spec.policyTypes ?? ["Ingress"]).includes("Ingress") && selects(p.spec.podSelector, to.labels),
  );
  if (applying.length === 0) return true;
  return applying.some((p) =>
    (p.spec.ingress ?? []).some(
      (r: any) =>
        portMatches(r.ports, port) &&
        (!r.from ||
          r.from.some(
            (f: any) => f.podSelector && !f.namespaceSelector && selects(f.podSelector, from.labels),
          )),
    ),
  );
}

/**
 * Egress from pod `from` on TCP `port` to a pod of the namespace, or to a public
 * host (whose addresses are not known offline: only an ipBlock of the whole
 * internet, exceptions aside, counts as reaching it).
 */
function egressAllowed(pols: K8sObject[], from: Pod, port: number, to: Pod | "outside"): boolean {
  const applying = pols.filter(
    (p) => (p.spec.policyTypes ?? []).includes("Egress") && selects(p.spec.podSelector, from.labels),
  );
  if (applying.length === 0) return true;
  const peer = (t: any) =>
    to === "outside"
      ? ["0.0.0.0/0", "::/0"].includes(t.ipBlock?.cidr)
      : !!t.podSelector && !t.namespaceSelector && selects(t.podSelector, to.labels);
  return applying.some((p) =>
    (p.spec.egress ?? []).some((r: any) => portMatches(r.ports, port) && (!r.to || r.to.some(peer))),
  );
}

/** The pod and container port a `scheme://service:port` URL ends up at. */
function podPortOf(objs: K8sObject[], url: string): { pod: Pod; port: number } {
  const u = new URL(url);
  const svc = find(objs, "Service", u.hostname);
  const sp = svc.spec.ports.find(
    (p: any) => p.port === Number(u.port || (u.protocol === "https:" ? 443 : 80)),
  );
  const pod = podsOf(objs).find((p) => matches(svc.spec.selector, p.labels))!;
  const cport = pod.spec.containers
    .flatMap((c: any) => c.ports ?? [])
    .find((cp: any) =>
      typeof sp.targetPort === "string" ? cp.name === sp.targetPort : cp.containerPort === sp.targetPort,
    );
  return { pod, port: cport.containerPort };
}

test("the base builds too (overlays are not the only way in)", () => {
  const objs = render("base");
  expect(objs.length).toBeGreaterThan(20);
  for (const o of objs)
    if (!UNSCHEMATIZED.has(`${o.apiVersion}/${o.kind}`))
      expect({ obj: `${o.kind}/${o.metadata.name}`, problems: validateObject(o) }).toEqual({
        obj: `${o.kind}/${o.metadata.name}`,
        problems: [],
      });
});

test("the validator itself rejects bad objects (unknown field, wrong type)", () => {
  const good = find(render("base"), "Service", "gateway");
  expect(validateObject(good)).toEqual([]);
  const unknown = structuredClone(good);
  unknown.spec.ports[0].targetPortt = "http";
  expect(validateObject(unknown).join()).toContain("/spec/ports/0/targetPortt: unknown field");
  const wrongType = structuredClone(good);
  wrongType.spec.ports[0].port = "8080";
  expect(validateObject(wrongType).length).toBeGreaterThan(0);
  const so = structuredClone(find(render("base"), "ScaledObject", "synth"));
  so.spec.minReplicaCount = "one";
  expect(validateObject(so).length).toBeGreaterThan(0);
});

for (const overlay of OVERLAYS) {
  describe(`overlay ${overlay}`, () => {
    const objs = () => render(`overlays/${overlay}`);

    test("builds and every object validates against its schema", () => {
      const all = objs();
      const problems: string[] = [];
      for (const o of all) {
        if (UNSCHEMATIZED.has(`${o.apiVersion}/${o.kind}`)) continue;
        for (const p of validateObject(o)) problems.push(`${o.kind}/${o.metadata.name} ${p}`);
      }
      expect(problems).toEqual([]);
      const kinds = new Set(all.map((o) => o.kind));
      for (const k of [
        "Namespace",
        "Deployment",
        "StatefulSet",
        "Service",
        "ConfigMap",
        "PersistentVolumeClaim",
        "Ingress",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "ScaledObject",
      ])
        expect(kinds).toContain(k);
    });

    test("everything lands in the overlay's namespace", () => {
      const ns = NAMESPACE[overlay];
      expect(find(objs(), "Namespace", ns).metadata.name).toBe(ns);
      for (const o of objs())
        if (o.kind !== "Namespace")
          expect(`${o.kind}/${o.metadata.name}:${o.metadata.namespace}`).toBe(
            `${o.kind}/${o.metadata.name}:${ns}`,
          );
    });

    test("Deployments for the four services, NATS with JetStream, a mirror PVC", () => {
      for (const s of SERVICES) find(objs(), "Deployment", s.name);
      const nats = find(objs(), "StatefulSet", "nats");
      const conf = findGenerated(objs(), "ConfigMap", "nats-config")!.data!["nats.conf"]!;
      expect(conf).toMatch(/jetstream\s*\{[^}]*store_dir/);
      const vol = nats.spec.template.spec.volumes.find((v: any) => v.name === "config");
      expect(vol.configMap.name).toBe(findGenerated(objs(), "ConfigMap", "nats-config")!.metadata.name);
      expect(nats.spec.volumeClaimTemplates[0].metadata.name).toBe("data");
      if (nats.spec.replicas > 1) {
        // Every route names a pod of this StatefulSet through its headless Service.
        const routes = [...conf.matchAll(/nats:\/\/([a-z0-9-]+)\.([a-z0-9-]+):6222/g)];
        expect(routes.map((r) => r[1])).toEqual(
          Array.from({ length: nats.spec.replicas }, (_, i) => `nats-${i}`),
        );
        for (const r of routes) expect(r[2]).toBe(nats.spec.serviceName);
      }
      const mirror = podTemplate(find(objs(), "Deployment", "model-mirror"));
      const claim = mirror.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim.claimName;
      find(objs(), "PersistentVolumeClaim", claim);
      // RWO volume, one writer: no surge during rollouts.
      expect(find(objs(), "Deployment", "model-mirror").spec.strategy.type).toBe("Recreate");
    });

    test("Postgres: a plain StatefulSet in dev, a CloudNativePG Cluster in prod, and the Secret both ways", () => {
      const users = SERVICES.filter((s) => s.usesDatabase).map((s) => s.name);
      for (const u of users) {
        const c = podTemplate(find(objs(), "Deployment", u)).containers[0];
        const ref = c.env.find((e: any) => e.name === "DATABASE_URL").valueFrom.secretKeyRef;
        if (overlay === "dev") {
          const secret = objs().find((o) => o.kind === "Secret" && o.metadata.name === ref.name);
          expect(secret).toBeDefined();
          expect(containerEnv(objs(), c).get("DATABASE_URL")).toMatch(
            /^postgres:\/\/[^@]+@postgres:5432\/\w+$/,
          );
        } else {
          // CloudNativePG creates <cluster>-app with a `uri` key.
          const cluster = find(objs(), "Cluster", "postgres");
          expect(ref).toEqual({ name: `${cluster.metadata.name}-app`, key: "uri" });
        }
      }
      if (overlay === "dev") {
        const pg = find(objs(), "StatefulSet", "postgres");
        expect(find(objs(), "Service", "postgres").spec.ports[0].port).toBe(5432);
        expect(pg.spec.template.spec.containers[0].ports[0].containerPort).toBe(5432);
      } else {
        const cl = find(objs(), "Cluster", "postgres");
        expect(cl.apiVersion).toBe("postgresql.cnpg.io/v1");
        // No npm schema for CNPG: check the fields that matter by hand.
        const known = new Set([
          "instances",
          "imageName",
          "primaryUpdateStrategy",
          "enablePDB",
          "bootstrap",
          "storage",
          "resources",
          "monitoring",
          "postgresql",
        ]);
        for (const k of Object.keys(cl.spec)) expect(known).toContain(k);
        expect(Number.isInteger(cl.spec.instances) && cl.spec.instances >= 1).toBe(true);
        expect(cl.spec.storage.size).toMatch(quantity);
        expect(cl.spec.bootstrap.initdb).toEqual({ database: expect.any(String), owner: expect.any(String) });
        expect(["unsupervised", "supervised"]).toContain(cl.spec.primaryUpdateStrategy);
        expect(cl.spec.imageName).toMatch(/^[\w./-]+:\d+(\.\d+)?$/);
      }
    });

    test("every Service selects pods and targets a named container port they have", () => {
      const pods = podsOf(objs());
      for (const svc of objs().filter((o) => o.kind === "Service")) {
        const selected = pods.filter((p) => matches(svc.spec.selector, p.labels));
        expect({ svc: svc.metadata.name, selected: selected.length > 0 }).toEqual({
          svc: svc.metadata.name,
          selected: true,
        });
        for (const port of svc.spec.ports) {
          for (const p of selected) {
            const cports = p.spec.containers.flatMap((c: any) => c.ports ?? []);
            const hit = cports.find((cp: any) =>
              typeof port.targetPort === "string"
                ? cp.name === port.targetPort
                : cp.containerPort === port.targetPort,
            );
            expect({ svc: svc.metadata.name, port: port.name, found: !!hit }).toEqual({
              svc: svc.metadata.name,
              port: port.name,
              found: true,
            });
          }
        }
      }
    });

    test("PDBs, the gateway HPA and the synth ScaledObject point at real workloads", () => {
      const pods = podsOf(objs());
      for (const pdb of objs().filter((o) => o.kind === "PodDisruptionBudget"))
        expect(pods.some((p) => selects(pdb.spec.selector, p.labels))).toBe(true);
      for (const name of ["gateway", "g2p", "synth", "nats"])
        expect(objs().some((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === name)).toBe(true);
      const hpa = find(objs(), "HorizontalPodAutoscaler", "gateway");
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "gateway" });
      expect(hpa.spec.metrics[0].resource.name).toBe("cpu");
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      const so = find(objs(), "ScaledObject", "synth");
      expect(so.spec.scaleTargetRef.name).toBe("synth");
      find(objs(), "Deployment", so.spec.scaleTargetRef.name);
      expect(so.spec.minReplicaCount).toBe(1);
      expect(so.spec.maxReplicaCount).toBeGreaterThan(1);
      const trig = so.spec.triggers[0];
      expect(trig.type).toBe("prometheus");
      expect(trig.metadata.query).toContain("kokoro_synth_queue_depth");
      expect(trig.metadata.query).toContain(`namespace="${NAMESPACE[overlay]}"`);
      expect(Number(trig.metadata.threshold)).toBeGreaterThan(0);
      // Nothing else scales synth: an HPA on it would fight KEDA's.
      expect(
        objs()
          .filter((o) => o.kind === "HorizontalPodAutoscaler")
          .map((o) => o.spec.scaleTargetRef.name),
      ).not.toContain("synth");
    });

    test("every container has requests, a memory limit, and runs non-root without privilege escalation", () => {
      for (const { o, spec } of podsOf(objs())) {
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          const where = `${o.kind}/${o.metadata.name}/${c.name}`;
          expect({
            where,
            cpu: c.resources?.requests?.cpu,
            mem: c.resources?.requests?.memory,
            limit: c.resources?.limits?.memory,
          }).toEqual({
            where,
            cpu: expect.stringMatching(quantity),
            mem: expect.stringMatching(quantity),
            limit: expect.stringMatching(quantity),
          });
          expect({ where, ape: c.securityContext?.allowPrivilegeEscalation }).toEqual({ where, ape: false });
          expect({ where, liveness: !!c.livenessProbe }).toEqual({ where, liveness: true });
        }
      }
    });

    test("prod: the PodMonitor scrapes /metrics on a named port of every service pod", () => {
      if (overlay !== "prod") return;
      const pm = find(objs(), "PodMonitor", "kokoro-edge");
      for (const s of SERVICES) {
        const pod = podsOf(objs()).find((p) => p.o.metadata.name === s.name)!;
        expect(selects(pm.spec.selector, pod.labels)).toBe(true);
        const names = pod.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
        const ep = pm.spec.podMetricsEndpoints.find((e: any) => names.includes(e.port));
        expect({ s: s.name, path: ep?.path }).toEqual({ s: s.name, path: "/metrics" });
      }
    });

    test("Ingresses: only gateway and mirror, streaming-friendly nginx settings", () => {
      const ings = objs().filter((o) => o.kind === "Ingress");
      const backends = ings.flatMap((i) =>
        i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service)),
      );
      expect(backends.map((b: any) => b.name).sort()).toEqual(
        SERVICES.filter((s) => s.public)
          .map((s) => s.name)
          .sort(),
      );
      for (const b of backends) {
        const svc = find(objs(), "Service", b.name);
        expect(svc.spec.ports.some((p: any) => p.name === b.port.name)).toBe(true);
      }
      for (const ing of ings) {
        const a = ing.metadata.annotations!;
        expect(a["nginx.ingress.kubernetes.io/proxy-buffering"]).toBe("off");
        expect(Number(a["nginx.ingress.kubernetes.io/proxy-read-timeout"])).toBeGreaterThanOrEqual(600);
        expect(Number(a["nginx.ingress.kubernetes.io/proxy-send-timeout"])).toBeGreaterThanOrEqual(600);
        expect(a["nginx.ingress.kubernetes.io/proxy-http-version"]).toBe("1.1");
      }
      const gw = find(objs(), "Ingress", "gateway").metadata.annotations!;
      expect(gw["nginx.ingress.kubernetes.io/proxy-request-buffering"]).toBe("off");
      expect(Number(gw["nginx.ingress.kubernetes.io/proxy-read-timeout"])).toBeGreaterThanOrEqual(3600);
      if (overlay === "prod")
        for (const ing of ings) expect(ing.spec.tls[0].hosts).toEqual([ing.spec.rules[0].host]);
    });

    test("NetworkPolicies let each pod reach what it fetches: g2p and synth the mirror's HTTP port and NATS, the mirror its upstreams over HTTPS", async () => {
      const pols = objs().filter((o) => o.kind === "NetworkPolicy");
      const pod = (name: string) => podsOf(objs()).find((p) => p.o.metadata.name === name)!;
      const mirrorEnv = containerEnv(objs(), serviceContainer(objs(), "model-mirror"));
      // g2p (vocab, lexicons) and synth (model, voices) download from the URL in the mirror's lookup replies.
      const mirror = podPortOf(objs(), mirrorEnv.get("MIRROR_PUBLIC_URL")!);
      const nats = podPortOf(objs(), containerEnv(objs(), serviceContainer(objs(), "g2p")).get("NATS_URL")!);
      for (const name of ["g2p", "synth"]) {
        expect({
          name,
          in: ingressAllowed(pols, pod(name), mirror.pod, mirror.port),
          out: egressAllowed(pols, pod(name), mirror.port, mirror.pod),
        }).toEqual({ name, in: true, out: true });
        expect({
          name,
          nats:
            ingressAllowed(pols, pod(name), nats.pod, nats.port) &&
            egressAllowed(pols, pod(name), nats.port, nats.pod),
        }).toEqual({ name, nats: true });
      }
      // The mirror fetches the model repo and misaki's pinned lexicons from outside the cluster.
      const w = await modelWiring(
        concreteEnv(mirrorEnv),
        concreteEnv(containerEnv(objs(), serviceContainer(objs(), "synth"))),
      );
      const sources = [...w.upstreams, ...w.pinnedUpstreams].map((u) => new URL(u));
      expect(sources.map((u) => u.host).sort()).toEqual(["huggingface.co", "raw.githubusercontent.com"]);
      for (const u of sources)
        expect({ to: u.host, ok: egressAllowed(pols, mirror.pod, Number(u.port || 443), "outside") }).toEqual(
          { to: u.host, ok: true },
        );
      // The rules are really read: a policy letting only the gateway in, or an egress deny, shuts them out.
      const onlyGateway = {
        kind: "NetworkPolicy",
        apiVersion: "networking.k8s.io/v1",
        metadata: { name: "t" },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "model-mirror" } },
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } }] }],
          egress: [{ ports: [{ port: 53, protocol: "UDP" }] }],
        },
      };
      const strict = [...pols.filter((p) => !selects(p.spec.podSelector, mirror.pod.labels)), onlyGateway];
      expect(ingressAllowed(strict, pod("g2p"), mirror.pod, mirror.port)).toBe(false);
      expect(egressAllowed(strict, mirror.pod, 443, "outside")).toBe(false);
      const https = {
        ...onlyGateway,
        spec: {
          podSelector: onlyGateway.spec.podSelector,
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }],
              ports: [{ port: 443, protocol: "TCP" }],
            },
          ],
        },
      };
      expect(egressAllowed([...strict, https], mirror.pod, 443, "outside")).toBe(true);
    });

    test("NetworkPolicies: deny by default; only gateway and mirror open (and NATS's WebSocket port); Postgres only from its users; NATS only from its clients", () => {
      const pols = objs().filter((o) => o.kind === "NetworkPolicy");
      const deny = pols.find((p) => Object.keys(p.spec.podSelector).length === 0);
      expect(deny?.spec.policyTypes).toEqual(["Ingress"]);
      expect(deny?.spec.ingress ?? []).toEqual([]);
      const pods = podsOf(objs());
      // Which pods accept traffic from anywhere (a rule without `from`), on which ports?
      const open = new Set<string>();
      for (const p of pols)
        for (const r of p.spec.ingress ?? [])
          if (!r.from)
            for (const pod of pods)
              if (selects(p.spec.podSelector, pod.labels))
                for (const port of r.ports ?? [{ port: "any" }])
                  open.add(`${pod.o.metadata.name}:${port.port}`);
      // The public services, and NATS's WebSocket listener for edge gateways (it asks for a token; nats-websocket.test.ts).
      expect([...open].sort()).toEqual(
        [...SERVICES.filter((s) => s.public).map((s) => `${s.name}:${s.port}`), "nats:8080"].sort(),
      );
      // Who may open 5432 on the database pods?
      const dbPolicy = find(objs(), "NetworkPolicy", "postgres-clients");
      const dbRule = dbPolicy.spec.ingress[0];
      expect(dbRule.ports).toEqual([{ port: 5432, protocol: "TCP" }]);
      const allowed = pods
        .filter((p) =>
          dbRule.from.some(
            (f: any) => f.podSelector && !f.namespaceSelector && selects(f.podSelector, p.labels),
          ),
        )
        .map((p) => p.o.metadata.name);
      expect(allowed.sort()).toEqual(
        SERVICES.filter((s) => s.usesDatabase)
          .map((s) => s.name)
          .sort(),
      );
      if (overlay === "dev")
        expect(
          selects(
            dbPolicy.spec.podSelector,
            find(objs(), "StatefulSet", "postgres").spec.template.metadata.labels,
          ),
        ).toBe(true);
      else expect(dbPolicy.spec.podSelector.matchLabels).toEqual({ "cnpg.io/cluster": "postgres" });
      // Every pod that is given NATS_URL may reach NATS, and nobody else.
      const natsRule = find(objs(), "NetworkPolicy", "nats-clients").spec.ingress.find((r: any) =>
        r.ports.some((p: any) => p.port === 4222),
      );
      const natsAllowed = pods
        .filter((p) => natsRule.from.some((f: any) => selects(f.podSelector, p.labels)))
        .map((p) => p.o.metadata.name)
        .sort();
      const natsUsers = pods
        .filter((p) => p.spec.containers.some((c: any) => containerEnv(objs(), c).has("NATS_URL")))
        .map((p) => p.o.metadata.name)
        .sort();
      expect(natsAllowed).toEqual(natsUsers);
    });
  });
}
