/**
 * NATS's WebSocket listener in infra/k8s, for edge gateways outside the
 * cluster (NATS_URL=wss://TOKEN@nats.example.com): in both overlays it asks
 * for the token of the Secret nats-websocket, the NetworkPolicy lets its port
 * (and no other NATS port) through from anywhere, and a Service publishes it
 * alone; in prod it serves TLS with the certificate cert-manager issues, on a
 * LoadBalancer at 443. The rendered dev config is checked by nats-server itself.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsServerBin } from "@kokoro-edge/runtime/src/testing/nats-server";
import { find, findGenerated, podTemplate, render } from "./lib/render";
import { OVERLAYS } from "./lib/repo";

/** The `websocket { ... }` block of a nats.conf (no nested braces beyond one level). */
function websocketBlock(conf: string): string {
  const m = /^websocket\s*\{((?:[^{}]|\{[^{}]*\})*)\}/m.exec(conf);
  expect(m).not.toBeNull();
  return m![1]!;
}

for (const overlay of OVERLAYS) {
  describe(`NATS over WebSocket (${overlay})`, () => {
    const objs = () => render(`overlays/${overlay}`);
    const conf = () => findGenerated(objs(), "ConfigMap", "nats-config")!.data!["nats.conf"]!;
    const nats = () => find(objs(), "StatefulSet", "nats");
    const port = () => Number(/^\s*port:\s*(\d+)/m.exec(websocketBlock(conf()))![1]);

    test("the listener asks for the token of Secret nats-websocket", () => {
      expect(websocketBlock(conf())).toMatch(/authorization\s*\{\s*token:\s*\$NATS_WEBSOCKET_TOKEN\s*\}/);
      const c = podTemplate(nats()).containers[0];
      const ref = c.env.find((e: any) => e.name === "NATS_WEBSOCKET_TOKEN").valueFrom.secretKeyRef;
      expect(c.ports.find((p: any) => p.name === "websocket").containerPort).toBe(port());
      // dev generates the Secret (a dev-only token, its name suffixed by kustomize); in prod the operator creates it.
      if (overlay === "dev") expect(find(objs(), "Secret", ref.name).data!.token).toBeTruthy();
      else expect(ref).toEqual({ name: "nats-websocket", key: "token" });
      expect(ref.key).toBe("token");
    });

    test("the NetworkPolicy lets the WebSocket port through from anywhere, and only it", () => {
      const natsLabels = nats().spec.template.metadata.labels;
      const pols = objs().filter(
        (o) =>
          o.kind === "NetworkPolicy" &&
          Object.entries(o.spec.podSelector.matchLabels ?? {}).every(([k, v]) => natsLabels[k] === v) &&
          Object.keys(o.spec.podSelector).length,
      );
      const openPorts = pols.flatMap((p) =>
        (p.spec.ingress ?? [])
          .filter((r: any) => !r.from)
          .flatMap((r: any) => r.ports.map((x: any) => x.port)),
      );
      expect(openPorts).toEqual([port()]);
    });

    test("Service nats-websocket publishes that listener and nothing else", () => {
      const svc = find(objs(), "Service", "nats-websocket");
      expect(svc.spec.ports.map((p: any) => p.targetPort)).toEqual(["websocket"]);
      if (overlay === "prod")
        expect({ type: svc.spec.type, port: svc.spec.ports[0].port }).toEqual({
          type: "LoadBalancer",
          port: 443,
        });
      else expect(svc.spec.type ?? "ClusterIP").toBe("ClusterIP");
    });

    if (overlay === "prod") {
      test("TLS with the certificate cert-manager issues, mounted where nats.conf reads it", () => {
        const ws = websocketBlock(conf());
        expect(ws).not.toMatch(/no_tls/);
        const cert = /cert_file:\s*(\S+)/.exec(ws)![1]!;
        const key = /key_file:\s*(\S+)/.exec(ws)![1]!;
        const certificate = find(objs(), "Certificate", "nats-websocket");
        // No npm schema for cert-manager: the fields that matter, by hand.
        expect(Object.keys(certificate.spec).sort()).toEqual(["dnsNames", "issuerRef", "secretName"]);
        expect(certificate.spec.dnsNames.length).toBeGreaterThan(0);
        const ingressIssuer = find(objs(), "Ingress", "gateway").metadata.annotations![
          "cert-manager.io/cluster-issuer"
        ];
        expect(certificate.spec.issuerRef).toEqual({ kind: "ClusterIssuer", name: ingressIssuer });
        const spec = podTemplate(nats());
        const vol = spec.volumes.find((v: any) => v.secret?.secretName === certificate.spec.secretName);
        const mount = spec.containers[0].volumeMounts.find((m: any) => m.name === vol.name);
        expect([cert, key]).toEqual([`${mount.mountPath}/tls.crt`, `${mount.mountPath}/tls.key`]);
      });
    } else {
      test("nats-server accepts the rendered config", () => {
        const dir = mkdtempSync(join(tmpdir(), "nats-conf-"));
        writeFileSync(join(dir, "nats.conf"), conf());
        const r = spawnSync(natsServerBin, ["-t", "-c", join(dir, "nats.conf")], {
          env: { ...process.env, POD_NAME: "nats-0", NATS_WEBSOCKET_TOKEN: "t" },
          encoding: "utf8",
        });
        expect({ status: r.status, out: `${r.stdout}${r.stderr}`.trim() }).toEqual({
          status: 0,
          out: `nats-server: configuration file ${join(dir, "nats.conf")} is valid`,
        });
      });
    }
  });
}
