/**
 * WebSockets as `upgradeSocket` (http.ts) hands them out on either runtime:
 * the handlers' view, the server's settings, and what both adapters share.
 */

export interface SocketSettings {
  /** A larger message closes the connection (1009) before it reaches a handler. Default 1 MiB. */
  maxMessageBytes?: number;
  /** The server pings a connection silent for about this long, and drops it when no pong comes. Default 30 s. */
  keepAliveSeconds?: number;
}

/** One open WebSocket, as `upgradeSocket`'s handlers see it on either runtime. */
export interface ServerSocket {
  /** A text frame (string) or a binary frame. */
  send(data: string | Uint8Array): void;
  /** Bytes accepted by send() and not yet written to the network. */
  bufferedAmount(): number;
  close(code?: number, reason?: string): void;
}

/** What a connection tells its handler; an exception in one is logged by no one: handle your own. */
export interface ServerSocketEvents {
  open?(socket: ServerSocket): void;
  message?(data: string | Uint8Array, socket: ServerSocket): void;
  /** What send() had buffered is written: more may be sent. */
  drain?(socket: ServerSocket): void;
  close?(code: number, reason: string): void;
}

export const SOCKET_DEFAULTS = { maxMessageBytes: 1 << 20, keepAliveSeconds: 30 } as const;

/** A close frame's reason is at most 123 bytes of UTF-8. */
export function closeReason(reason = ""): string {
  const utf8 = new TextEncoder();
  let r = reason;
  while (utf8.encode(r).length > 123) r = r.slice(0, -1);
  return r;
}
