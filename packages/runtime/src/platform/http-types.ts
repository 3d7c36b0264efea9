/** What serving HTTP takes and gives, shared by http.ts and each runtime's adapter (http-bun.ts, http-deno.ts). */
import type { Context } from "hono";
import type { ConnInfo } from "hono/conninfo";
import type { UpgradeWebSocket } from "hono/ws";
import type { ServerSocketEvents, SocketSettings } from "./sockets";

export interface ServeOptions {
  port: number;
  hostname: string;
  /**
   * The request handler. `env` is what the runtime gives with each request
   * (Bun: the server; Deno: the connection info): pass it on as Hono's env
   * (`app.fetch(req, env)`) so `upgradeWebSocket` and `connInfo` work.
   */
  fetch: (req: Request, env: unknown) => Response | Promise<Response>;
  error?: (err: Error) => Response | Promise<Response>;
  /** Larger request bodies get a 413 before the handler runs. */
  maxRequestBodySize?: number;
  /** Seconds a connection may stay idle (Bun closes idle ones after 10 s by default, at most 255; Deno does not close them). */
  idleTimeout?: number;
  /** Settings for the WebSockets `upgradeSocket` opens on this server. */
  sockets?: SocketSettings;
}

export interface Served {
  port: number;
  /** Stop listening; wait for requests in flight unless `closeActive` (Deno cannot cut them: it stops waiting instead). */
  stop(closeActive?: boolean): Promise<void>;
}

/** What each runtime's adapter (http-bun.ts, http-deno.ts) provides. */
export interface HttpAdapter {
  serve(opts: ServeOptions): Served;
  upgradeWebSocket: UpgradeWebSocket;
  connInfo(c: Context): ConnInfo;
  upgradeSocket(
    req: Request,
    env: unknown,
    events: ServerSocketEvents,
    opts?: { protocol?: string },
  ): Response | undefined;
}
