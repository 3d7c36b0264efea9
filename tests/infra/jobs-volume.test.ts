/**
 * Gateway replicas resume each other's jobs only if they share JOBS_DIR: the
 * manifests (every overlay) and the Terraform module give every gateway pod
 * the same claim, mounted where JOBS_DIR points, with an access mode that lets
 * every replica mount it.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { containerEnv, find, podTemplate, render, serviceContainer } from "./lib/render";
import { OVERLAYS, TERRAFORM } from "./lib/repo";

describe("the gateways' shared jobs volume", () => {
  for (const overlay of OVERLAYS) {
    test(`${overlay}: every gateway pod mounts the same claim where JOBS_DIR points`, () => {
      const objs = render(`overlays/${overlay}`);
      const dep = find(objs, "Deployment", "gateway");
      const c = serviceContainer(objs, "gateway");
      const jobsDir = containerEnv(objs, c).get("JOBS_DIR");
      expect(jobsDir).toBe("/jobs");
      const mount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === jobsDir);
      expect(mount).toBeDefined();
      const vol = podTemplate(dep).volumes.find((v: { name: string }) => v.name === mount.name);
      expect(vol.persistentVolumeClaim?.claimName).toBe("gateway-jobs");
      const pvc = find(objs, "PersistentVolumeClaim", "gateway-jobs");
      // prod spreads replicas over nodes: ReadWriteMany; dev is one node, where ReadWriteOnce is shared too
      expect(pvc.spec.accessModes).toEqual([overlay === "dev" ? "ReadWriteOnce" : "ReadWriteMany"]);
      expect(dep.spec.replicas ?? 1).toBeGreaterThanOrEqual(1);
    });
  }

  test("Terraform: the gateway mounts the jobs claim at JOBS_DIR; ReadWriteMany by default", async () => {
    const main = await parse("main.tf", readFileSync(join(TERRAFORM, "main.tf"), "utf8"));
    const locals = await parse("locals.tf", readFileSync(join(TERRAFORM, "locals.tf"), "utf8"));
    const vars = await parse("variables.tf", readFileSync(join(TERRAFORM, "variables.tf"), "utf8"));
    const pvc = main.resource.kubernetes_persistent_volume_claim_v1.jobs[0];
    expect(pvc.metadata[0].name).toBe("gateway-jobs");
    expect(pvc.spec[0].access_modes).toEqual(["${var.jobs_access_mode}"]);
    expect(vars.variable.jobs_access_mode[0].default).toBe("ReadWriteMany");
    const env = locals.locals[0].services.gateway.env;
    expect(env.JOBS_DIR).toBe("/jobs");
    const text = readFileSync(join(TERRAFORM, "main.tf"), "utf8");
    expect(text).toMatch(/name\s*=\s*"jobs"\s*\n\s*mount_path\s*=\s*"\/jobs"/);
    expect(text).toContain("claim_name = kubernetes_persistent_volume_claim_v1.jobs.metadata[0].name");
  });
});
