/**
 * Serving HTTP: the runtime's own server (Bun.serve, Deno.serve) behind one
 * `serve()`, and Hono's adapter for the same runtime for what a route needs
 * from the connection: WebSocket upgrades (hono/bun, hono/deno
 * `upgradeWebSocket`) and the client's address (`getConnInfo`). Every
 * listening socket goes through `listen()` in ../http-server.ts, which calls
 * `serve()` here; routes import `upgradeWebSocket` and `connInfo` from here,
 * never from hono/bun or hono/deno.
 *
 * Two ways to take a WebSocket: Hono's `upgradeWebSocket` (its WSEvents, for
 * simple routes), and `upgradeSocket` below, for protocols that must echo the
 * subprotocol a browser offers and must not buffer without bound: it answers
 * `protocol`, tells `bufferedAmount()` and calls `drain` once written out.
 */
import type { Context } from "hono";
import type { ConnInfo } from "hono/conninfo";
import type { UpgradeWebSocket } from "hono/ws";
import type { HttpAdapter, Served, ServeOptions } from "./http-types";
import { runtime, unsupported } from "./runtime";
import type { ServerSocketEvents } from "./sockets";

export type { ServerSocket, ServerSocketEvents, SocketSettings } from "./sockets";

export type { HttpAdapter, Served, ServeOptions } from "./http-types";

// Only this runtime's adapter is loaded: hono/bun reads `Bun` as it loads, so it cannot even be imported on Deno.
const adapter: HttpAdapter | undefined =
  runtime === "bun"
    ? (await import("./http-bun")).bunHttp
    : runtime === "deno"
      ? (await import("./http-deno")).denoHttp
      : undefined;

function use(): HttpAdapter {
  if (!adapter) throw unsupported("serving HTTP");
  return adapter;
}

/** Listen now; a bind failure throws the runtime's error (with `code` EADDRINUSE, EACCES, EADDRNOTAVAIL). */
export function serve(opts: ServeOptions): Served {
  return use().serve(opts);
}

/** Hono's WebSocket upgrade for this runtime: `app.get("/ws", upgradeWebSocket((c) => ({ onMessage(e, ws) {...} })))`. */
export const upgradeWebSocket: UpgradeWebSocket =
  adapter?.upgradeWebSocket ?? (((): never => use() as never) as UpgradeWebSocket);

/**
 * Take the request's connection as a WebSocket (answering `protocol`, one of
 * the subprotocols the client offered), for a server started by `serve()`:
 * `env` is what it passed to the handler (Hono: `c.env`). Returns the
 * response for the handler to return, or undefined when the request is no
 * WebSocket handshake or cannot be upgraded.
 */
export function upgradeSocket(
  req: Request,
  env: unknown,
  events: ServerSocketEvents,
  opts?: { protocol?: string },
): Response | undefined {
  return use().upgradeSocket(req, env, events, opts);
}

/** The client's address as Hono's adapter for this runtime reads it; throws when the app was not served by `serve()` (app.fetch in tests). */
export function connInfo(c: Context): ConnInfo {
  return use().connInfo(c);
}
