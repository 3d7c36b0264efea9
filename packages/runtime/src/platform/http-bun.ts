/**
 * Bun's HTTP server. Hono's Bun adapter reads the server from the env (the
 * second argument of fetch) for WebSocket upgrades and client addresses.
 * Bun.serve takes one set of WebSocket handlers per server: they pass each
 * socket to Hono's handlers or to upgradeSocket's, by what the upgrade put in
 * the socket's data.
 */
import { getConnInfo, upgradeWebSocket, websocket as honoHandlers } from "hono/bun";
import type { UpgradeWebSocket } from "hono/ws";
import type { HttpAdapter, Served, ServeOptions } from "./http-types";
import { closeReason, SOCKET_DEFAULTS, type ServerSocket, type ServerSocketEvents } from "./sockets";

export const bunHttp: HttpAdapter = {
  serve,
  upgradeWebSocket: upgradeWebSocket as UpgradeWebSocket,
  connInfo: getConnInfo,
  upgradeSocket,
};

interface BunSocket {
  data: { platform?: { events: ServerSocketEvents; socket?: ServerSocket } } & Record<string, unknown>;
  send(data: string | Uint8Array): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
}

function upgradeSocket(
  req: Request,
  env: unknown,
  events: ServerSocketEvents,
  opts?: { protocol?: string },
): Response | undefined {
  const server = env as
    { upgrade?(req: Request, o: { data: unknown; headers?: Record<string, string> }): boolean } | undefined;
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket" || typeof server?.upgrade !== "function")
    return undefined;
  const headers = opts?.protocol ? { "Sec-WebSocket-Protocol": opts.protocol } : undefined;
  // Bun answers the handshake itself; the response only ends the handler chain.
  return server.upgrade(req, { data: { platform: { events } }, headers }) ? new Response(null) : undefined;
}

const socketOf = (ws: BunSocket): ServerSocket =>
  (ws.data.platform!.socket ??= {
    send: (data) => void ws.send(data),
    bufferedAmount: () => ws.getBufferedAmount(),
    close: (code, reason) => ws.close(code, closeReason(reason)),
  });

const handlers = {
  open(ws: BunSocket) {
    if (!ws.data.platform) return honoHandlers.open(ws as never);
    ws.data.platform.events.open?.(socketOf(ws));
  },
  message(ws: BunSocket, message: string | Uint8Array) {
    if (!ws.data.platform) return honoHandlers.message(ws as never, message as never);
    ws.data.platform.events.message?.(message, socketOf(ws));
  },
  drain(ws: BunSocket) {
    ws.data.platform?.events.drain?.(socketOf(ws));
  },
  close(ws: BunSocket, code: number, reason: string) {
    if (!ws.data.platform) return honoHandlers.close(ws as never, code, reason);
    ws.data.platform.events.close?.(code, reason);
  },
};

function serve(opts: ServeOptions): Served {
  const server = Bun.serve({
    port: opts.port,
    hostname: opts.hostname,
    fetch: opts.fetch as never,
    websocket: {
      ...handlers,
      maxPayloadLength: opts.sockets?.maxMessageBytes ?? SOCKET_DEFAULTS.maxMessageBytes,
      idleTimeout: Math.min(
        960,
        Math.max(8, opts.sockets?.keepAliveSeconds ?? SOCKET_DEFAULTS.keepAliveSeconds),
      ),
      sendPings: true,
      perMessageDeflate: false,
    } as never,
    ...(opts.error ? { error: opts.error } : {}),
    // Bun answers a larger body with its own 413.
    ...(opts.maxRequestBodySize ? { maxRequestBodySize: opts.maxRequestBodySize } : {}),
    ...(opts.idleTimeout !== undefined ? { idleTimeout: opts.idleTimeout } : {}),
  });
  return { port: server.port!, stop: async (closeActive = false) => void (await server.stop(closeActive)) };
}
