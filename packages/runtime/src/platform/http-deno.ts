/**
 * Deno's HTTP server. Hono's Deno adapter reads the connection info Deno.serve
 * hands each request (passed on as Hono's env) for client addresses, and
 * upgrades WebSockets with Deno.upgradeWebSocket.
 */
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import type { UpgradeWebSocket } from "hono/ws";
import type { HttpAdapter, Served, ServeOptions } from "./http";
import { denoNamespace } from "./runtime";

export const denoHttp: HttpAdapter = { serve, upgradeWebSocket: upgradeWebSocket as UpgradeWebSocket, connInfo: getConnInfo };

function serve(opts: ServeOptions): Served {
  const max = opts.maxRequestBodySize;
  const server = denoNamespace().serve(
    {
      port: opts.port,
      hostname: opts.hostname,
      onListen() {}, // the service logs where it listens; Deno would print "Listening on ..." too
      ...(opts.error ? { onError: (err: unknown) => opts.error!(err as Error) } : {}),
    },
    (req, info) => {
      // Deno.serve has no body limit of its own: refuse what the header announces (Bun refuses the same).
      if (max && Number(req.headers.get("content-length") ?? 0) > max) return bodyTooLarge(max);
      return opts.fetch(req, info);
    },
  );
  return {
    port: server.addr.port,
    async stop(closeActive = false) {
      const done = server.shutdown();
      if (closeActive) done.catch(() => {});
      else await done;
    },
  };
}

function bodyTooLarge(max: number): Response {
  return Response.json({ error: { message: `request body is larger than ${max} bytes`, type: "invalid_request_error", code: "body_too_large" } }, { status: 413 });
}
