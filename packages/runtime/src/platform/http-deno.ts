/**
 * Deno's HTTP server. Hono's Deno adapter reads the connection info Deno.serve
 * hands each request (passed on as Hono's env) for client addresses, and
 * upgrades WebSockets with Deno.upgradeWebSocket. The env also carries this
 * server's socket settings, which Deno takes per upgrade (Bun per server).
 */
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import type { UpgradeWebSocket } from "hono/ws";
import type { HttpAdapter, Served, ServeOptions } from "./http-types";
import {
  closeReason,
  SOCKET_DEFAULTS,
  type ServerSocket,
  type ServerSocketEvents,
  type SocketSettings,
} from "./sockets";
import { denoNamespace, type DenoServeInfo } from "./runtime";

export const denoHttp: HttpAdapter = {
  serve,
  upgradeWebSocket: upgradeWebSocket as UpgradeWebSocket,
  connInfo: getConnInfo,
  upgradeSocket,
};

type Env = DenoServeInfo & { sockets?: SocketSettings };

interface DenoWebSocket {
  binaryType: string;
  bufferedAmount: number;
  readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((e: MessageEvent) => void) | null;
  onclose: ((e: CloseEvent) => void) | null;
}

/** How often a socket with buffered bytes is checked for having written them out (Deno has no drain event). */
const DRAIN_POLL_MS = 5;

function upgradeSocket(
  req: Request,
  env: unknown,
  events: ServerSocketEvents,
  opts?: { protocol?: string },
): Response | undefined {
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") return undefined;
  const settings = { ...SOCKET_DEFAULTS, ...(env as Env | undefined)?.sockets };
  const deno = denoNamespace() as unknown as {
    upgradeWebSocket(
      r: Request,
      o: { protocol?: string; idleTimeout?: number },
    ): { socket: DenoWebSocket; response: Response };
  };
  let upgraded: { socket: DenoWebSocket; response: Response };
  // Deno finds the offered subprotocols by splitting the header at ", " only; clients that join
  // them with a bare "," (the `ws` package: "token,<key>") are answered by setting the header ourselves.
  const header = req.headers.get("sec-websocket-protocol") ?? "";
  const offered = header.split(",").map((p) => p.trim());
  const answerByHand =
    !!opts?.protocol && offered.includes(opts.protocol) && !header.split(", ").includes(opts.protocol);
  try {
    upgraded = deno.upgradeWebSocket(req, {
      ...(opts?.protocol && !answerByHand ? { protocol: opts.protocol } : {}),
      idleTimeout: settings.keepAliveSeconds,
    });
    if (answerByHand) upgraded.response.headers.set("sec-websocket-protocol", opts!.protocol!);
  } catch {
    return undefined; // not a valid handshake
  }
  const { socket: raw, response } = upgraded;
  raw.binaryType = "arraybuffer";
  let draining: ReturnType<typeof setInterval> | undefined;
  const stopDrain = () => {
    clearInterval(draining);
    draining = undefined;
  };
  const socket: ServerSocket = {
    send(data) {
      if (raw.readyState !== 1) return;
      raw.send(data);
      if (raw.bufferedAmount > 0 && !draining && events.drain) {
        draining = setInterval(() => {
          if (raw.readyState !== 1) return stopDrain();
          if (raw.bufferedAmount > 0) return;
          stopDrain();
          events.drain!(socket);
        }, DRAIN_POLL_MS);
      }
    },
    bufferedAmount: () => raw.bufferedAmount,
    close: (code, reason) => raw.close(code, closeReason(reason)),
  };
  raw.onopen = () => events.open?.(socket);
  raw.onmessage = (e) => {
    const data = typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer);
    const bytes =
      typeof data !== "string"
        ? data.length
        : data.length * 3 <= settings.maxMessageBytes
          ? data.length
          : new TextEncoder().encode(data).length;
    // Deno has no limit of its own: close as Bun does (1009) before the handler sees it.
    if (bytes > settings.maxMessageBytes) return raw.close(1009, "message too big");
    events.message?.(data, socket);
  };
  raw.onclose = (e) => {
    stopDrain();
    events.close?.(e.code, e.reason);
  };
  return response;
}

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
      return opts.fetch(req, opts.sockets ? Object.assign(info, { sockets: opts.sockets }) : info);
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
  return Response.json(
    {
      error: {
        message: `request body is larger than ${max} bytes`,
        type: "invalid_request_error",
        code: "body_too_large",
      },
    },
    { status: 413 },
  );
}
