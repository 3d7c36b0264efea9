import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (tests/infra/lib -> ../../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const K8S = join(ROOT, "infra", "k8s");
export const TERRAFORM = join(ROOT, "infra", "terraform");
export const OVERLAYS = ["dev", "prod"] as const;
export type Overlay = (typeof OVERLAYS)[number];

export const repoPath = (...p: string[]) => join(ROOT, ...p);
export const exists = (...p: string[]) => existsSync(join(ROOT, ...p));

/**
 * What the manifests must agree with, per service: the entry point, the
 * environment variable holding its HTTP port and that port's default, and
 * whether it talks to Postgres. Ports and paths are the services' documented
 * defaults; the config schemas in services/<name>/src/config.ts are checked
 * against them in consistency.test.ts.
 */
export interface ServiceSpec {
  name: "gateway" | "g2p" | "synth" | "model-mirror";
  entry: string;
  portVar: string;
  port: number;
  usesDatabase: boolean;
  /** Reachable from outside the cluster (Ingress + open NetworkPolicy). */
  public: boolean;
}

export const SERVICES: ServiceSpec[] = [
  {
    name: "gateway",
    entry: "services/gateway/src/main.ts",
    portVar: "PORT",
    port: 8080,
    usesDatabase: true,
    public: true,
  },
  {
    name: "g2p",
    entry: "services/g2p/src/main.ts",
    portVar: "HEALTH_PORT",
    port: 8082,
    usesDatabase: false,
    public: false,
  },
  {
    name: "synth",
    entry: "services/synth/src/main.ts",
    portVar: "HEALTH_PORT",
    port: 8083,
    usesDatabase: false,
    public: false,
  },
  {
    name: "model-mirror",
    entry: "services/model-mirror/src/main.ts",
    portVar: "MIRROR_PORT",
    port: 8081,
    usesDatabase: true,
    public: true,
  },
];

export const ALL_IN_ONE = "services/all-in-one.ts";
