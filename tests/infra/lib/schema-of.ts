import { existsSync } from "node:fs";
import { repoPath, type ServiceSpec } from "./repo";

/** Keys of a zod object schema, through the wrappers zod puts around it (transform, pipe, effects). */
export function schemaKeys(schema: any): string[] {
  for (let s = schema, i = 0; s && i < 10; i++) {
    const shape = typeof s.shape === "function" ? s.shape() : s.shape;
    if (shape && typeof shape === "object") return Object.keys(shape);
    s = s.def?.in ?? s._def?.in ?? s._def?.schema ?? s.def?.innerType ?? s._def?.innerType;
  }
  throw new Error("not a zod object schema");
}

/** The zod schema services/<name>/src/config.ts exports (`configSchema`, or e.g. `g2pConfig`, `mirrorConfig`). */
export async function loadSchema(s: ServiceSpec): Promise<any> {
  const file = repoPath("services", s.name, "src", "config.ts");
  if (!existsSync(file))
    throw new Error(
      `services/${s.name}/src/config.ts does not exist yet: the manifests cannot be checked against it`,
    );
  const mod = await import(file);
  const schema =
    mod.configSchema ?? Object.values(mod).find((v: any) => v && typeof v.safeParse === "function");
  if (!schema) throw new Error(`services/${s.name}/src/config.ts exports no zod schema`);
  return schema;
}
