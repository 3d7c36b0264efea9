import { z } from "zod";

/**
 * Configuration names shared by every service. Each service extends this with
 * its own fields and loads it with `loadConfig`, so a bad value stops start-up
 * with a message naming the variable.
 */
export const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

export const commonConfig = z.object({
  /** Unset: the in-process bus (one-process setup). */
  NATS_URL: optionalString,
  /** Unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default("./data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** `json` (one object a line, for collectors) or `pretty` (for people); default pretty on a terminal, else json. */
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(["json", "pretty"]).optional()),
  /** Name of this instance in logs and status replies (defaults to host name + pid). */
  INSTANCE_ID: optionalString,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  OTEL_SERVICE_NAME: optionalString,
  /**
   * Services in this process call each other directly, not through NATS (g2p's requests; a synth
   * worker's streams while it is idle). Off: every call crosses the bus as between processes.
   */
  BUS_LOCAL_CALLS: boolVar(true),
});
export type CommonConfig = z.infer<typeof commonConfig>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Positive integer from the environment, with a default. */
export const intVar = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
export const numVar = (def: number, min = -Infinity, max = Infinity) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(def));
/** A boolean from the environment (1/true/yes/on), with a default (a function: commonConfig above uses it). */
export function boolVar(def: boolean) {
  return z.preprocess(
    (v) =>
      typeof v === "string"
        ? v.trim() === ""
          ? undefined
          : ["1", "true", "yes", "on"].includes(v.trim().toLowerCase())
        : v,
    z.boolean().default(def),
  );
}

export function instanceId(service: string, configured?: string): string {
  if (configured) return configured;
  const host = process.env.HOSTNAME ?? "local";
  return `${service}-${host}-${process.pid}`;
}
