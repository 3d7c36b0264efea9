/**
 * Which JavaScript runtime this process is: the one fact the platform
 * adapters beside this file branch on. Nothing outside `platform/` asks.
 */

export type RuntimeName = "bun" | "deno" | "node";

const versions = process.versions as Record<string, string | undefined>;

export const runtime: RuntimeName = versions.bun ? "bun" : versions.deno ? "deno" : "node";

/** For logs and /readyz: `bun 1.4.5`, `deno 2.9.6`. */
export const runtimeLabel = `${runtime} ${versions[runtime] ?? versions.node ?? "?"}`;

/** What the adapters use of Deno's global namespace (its types are not part of this Bun-typed project). */
export interface DenoNamespace {
  serve(
    options: {
      port: number;
      hostname: string;
      onListen?: (addr: { port: number }) => void;
      onError?: (err: unknown) => Response | Promise<Response>;
    },
    handler: (req: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void>; finished: Promise<void> };
}

/** The second argument Deno.serve hands a handler; hono/deno's getConnInfo reads `remoteAddr` from it. */
export interface DenoServeInfo {
  remoteAddr: { hostname: string; port: number; transport: string };
  completed: Promise<void>;
}

export function denoNamespace(): DenoNamespace {
  const d = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (!d) throw new Error("not running on Deno");
  return d;
}

/** A clear refusal for a runtime a concern has no adapter for. */
export function unsupported(concern: string): Error {
  return new Error(
    `${concern} needs Bun or Deno; this is ${runtimeLabel} (run the service with \`bun\` or \`deno run\`, see README "Runtimes")`,
  );
}
