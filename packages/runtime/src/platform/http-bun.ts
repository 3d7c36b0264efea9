/**
 * Bun's HTTP server. Hono's Bun adapter reads the server from the env (the
 * second argument of fetch) for WebSocket upgrades and client addresses, and
 * its `websocket` handler must be given to Bun.serve for upgrades to work.
 */
import { getConnInfo, upgradeWebSocket, websocket } from "hono/bun";
import type { UpgradeWebSocket } from "hono/ws";
import type { HttpAdapter, Served, ServeOptions } from "./http";

export const bunHttp: HttpAdapter = { serve, upgradeWebSocket: upgradeWebSocket as UpgradeWebSocket, connInfo: getConnInfo };

function serve(opts: ServeOptions): Served {
  const server = Bun.serve({
    port: opts.port,
    hostname: opts.hostname,
    fetch: opts.fetch as never,
    websocket: websocket as never,
    ...(opts.error ? { error: opts.error } : {}),
    // Bun answers a larger body with its own 413.
    ...(opts.maxRequestBodySize ? { maxRequestBodySize: opts.maxRequestBodySize } : {}),
    ...(opts.idleTimeout !== undefined ? { idleTimeout: opts.idleTimeout } : {}),
  });
  return { port: server.port!, stop: async (closeActive = false) => void (await server.stop(closeActive)) };
}
