/**
 * Reaching NATS, over raw TCP or over WebSocket. NATS_URL=nats://... (or
 * tls://, or host:port) connects with @nats-io/transport-node; ws://... or
 * wss://... with nats.js's own WebSocket connection (@nats-io/nats-core
 * `wsconnect`), for a gateway at the edge that can open WebSockets but no
 * raw TCP. Both give the same NatsConnection, so everything above (nats.ts,
 * the Bus, streams) is the same code for both.
 *
 * nats.js chooses the transport per process, not per connection: `connect`
 * and `wsconnect` each install a process-wide transport factory, which is
 * read again at every reconnect. A process that held a TCP and a WebSocket
 * connection at once would reconnect one of them over the wrong transport,
 * and never recover. So one process uses one kind at a time, and asking for
 * the other while a connection is open is a clear error.
 *
 * Credentials go in the URL as nats.go reads them, for either transport:
 * `wss://TOKEN@nats.example.com` (a token) or `wss://USER:PASSWORD@host`.
 * An edge gateway reaches the cluster's WebSocket listener with its token
 * this way (infra/k8s: Secret nats-websocket). Messages show URLs redacted.
 */
import { wsconnect, type ConnectionOptions, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";

export type NatsVia = "tcp" | "websocket";

const WS = /^wss?:\/\//i;

/** Which transport a NATS_URL asks for; one URL list cannot mix the two. */
export function natsVia(servers: string[]): NatsVia {
  const ws = servers.filter((s) => WS.test(s));
  if (ws.length === 0) return "tcp";
  if (ws.length === servers.length) return "websocket";
  throw new Error(
    `NATS_URL mixes WebSocket (ws://, wss://) and TCP servers (${servers.join(",")}): use one kind`,
  );
}

export interface NatsAuth {
  token?: string;
  user?: string;
  pass?: string;
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)?([^@/]*)@(.*)$/i;

/** NATS_URL's servers without credentials, and the credentials (one set for all servers). */
export function natsServers(url: string): { servers: string[]; auth: NatsAuth } {
  const entries = url
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let auth: NatsAuth | undefined;
  let authFrom = "";
  const servers = entries.map((s) => {
    const m = USERINFO.exec(s);
    if (!m) return s;
    const [user, pass] = m[2]!.split(/:(.*)/s, 2).map((x) => decodeURIComponent(x));
    const found: NatsAuth = pass === undefined ? { token: user } : { user, pass };
    if (auth && JSON.stringify(auth) !== JSON.stringify(found))
      throw new Error(
        `NATS_URL gives different credentials for ${redactNatsUrl(authFrom)} and ${redactNatsUrl(s)}: give one set`,
      );
    auth = found;
    authFrom = s;
    return `${m[1] ?? ""}${m[3]}`;
  });
  return { servers, auth: auth ?? {} };
}

/** NATS_URL as it may be logged: credentials replaced by `***`. */
export function redactNatsUrl(url: string): string {
  return url
    .split(",")
    .map((s) =>
      s.replace(
        USERINFO,
        (_, scheme: string | undefined, _info: string, rest: string) => `${scheme ?? ""}***@${rest}`,
      ),
    )
    .join(",");
}

const openConnections: Record<NatsVia, number> = { tcp: 0, websocket: 0 };

/**
 * Connect to `url` (comma-separated servers), over the transport its scheme
 * names. `closed()` resolves once the connection no longer counts as open
 * (after `nc.close()`/`drain()`, or when nats.js gives up on it).
 */
export async function connectNats(
  url: string,
  options: Omit<ConnectionOptions, "servers">,
): Promise<{ nc: NatsConnection; via: NatsVia; closed(): Promise<void> }> {
  const { servers, auth } = natsServers(url);
  const via = natsVia(servers);
  const other: NatsVia = via === "tcp" ? "websocket" : "tcp";
  if (openConnections[other] > 0) {
    throw new Error(
      `this process already has a NATS connection over ${other === "tcp" ? "TCP" : "WebSocket"}; nats.js uses one transport per process, so it cannot also connect over ${via === "tcp" ? "TCP" : "WebSocket"}`,
    );
  }
  const nc = await (via === "websocket" ? wsconnect : connect)({ ...options, ...auth, servers });
  openConnections[via]++;
  const closed = nc.closed().then(
    () => void openConnections[via]--,
    () => void openConnections[via]--,
  );
  return { nc, via, closed: () => closed };
}
