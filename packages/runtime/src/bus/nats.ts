import { headers as natsHeaders, type NatsConnection, type MsgHdrs } from "@nats-io/nats-core";
import { connectNats, redactNatsUrl, type NatsVia } from "./nats-connect";
import {
  BusError,
  NO_RESPONDERS_HEADER,
  type Headers,
  type Msg,
  type RequestOptions,
  type SubscribeOptions,
  type Subscription,
  type Transport,
} from "./types";

function toNatsHeaders(h?: Headers): MsgHdrs | undefined {
  if (!h) return undefined;
  const keys = Object.keys(h);
  if (keys.length === 0) return undefined;
  const out = natsHeaders();
  for (const k of keys) out.set(k, h[k]!);
  return out;
}

function fromNatsHeaders(h?: MsgHdrs): Headers {
  const out: Headers = {};
  if (!h) return out;
  for (const k of h.keys()) out[k] = h.get(k);
  return out;
}

/** A plain Uint8Array view (the client may hand out Buffers, whose slice() does not copy). */
function plain(data: Uint8Array): Uint8Array {
  return data.constructor === Uint8Array
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** NATS transport (core NATS: subjects, queue groups, request/reply with no-responders), over TCP or WebSocket (nats-connect.ts). */
export class NatsTransport implements Transport {
  readonly kind = "nats" as const;
  /** False between a disconnect and the reconnect (the client keeps retrying; it is not closed). */
  private connected = true;
  private since = Date.now();
  private constructor(
    private readonly nc: NatsConnection,
    /** How this connection reaches the server: `tcp` (nats://) or `websocket` (ws://, wss://). */
    readonly via: NatsVia,
    private readonly closed: () => Promise<void>,
  ) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect") this.connected = false;
        else if (s.type === "reconnect") {
          this.connected = true;
          this.since = Date.now();
        }
      }
    })().catch(() => {}); // the iterator ends with the connection
  }

  /** The client connection, for the JetStream stores built beside the bus (blob-store.ts). */
  get connection(): NatsConnection {
    return this.nc;
  }

  static async connect(url: string, name: string): Promise<NatsTransport> {
    try {
      const { nc, via, closed } = await connectNats(url, {
        name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
      return new NatsTransport(nc, via, closed);
    } catch (err) {
      throw new BusError(
        "closed",
        `cannot connect to NATS at ${redactNatsUrl(url)}: ${(err as Error).message}`,
      );
    }
  }

  publish(subject: string, data: Uint8Array, headers?: Headers, reply?: string): void {
    this.nc.publish(subject, data, { headers: toNatsHeaders(headers), reply });
  }

  subscribe(subject: string, handler: (msg: Msg) => void, opts: SubscribeOptions = {}): Subscription {
    const sub = this.nc.subscribe(subject, {
      queue: opts.queue,
      callback: (err, m) => {
        if (err) return;
        const headers = fromNatsHeaders(m.headers);
        if (m.headers?.code === 503 && m.data.length === 0) headers[NO_RESPONDERS_HEADER] = "1";
        handler({ subject: m.subject, data: plain(m.data), headers, reply: m.reply || undefined });
      },
    });
    return { unsubscribe: () => sub.unsubscribe() };
  }

  async request(subject: string, data: Uint8Array, opts: RequestOptions): Promise<Msg> {
    try {
      const m = await this.nc.request(subject, data, {
        timeout: opts.timeoutMs,
        headers: toNatsHeaders(opts.headers),
      });
      return { subject: m.subject, data: plain(m.data), headers: fromNatsHeaders(m.headers) };
    } catch (err) {
      const e = err as Error & { isNoResponders?: () => boolean };
      if (
        e.isNoResponders?.() ||
        e.name === "NoRespondersError" ||
        (e.cause as Error | undefined)?.name === "NoRespondersError"
      ) {
        throw new BusError("no_responders", `no responders on ${subject}`, { subject });
      }
      if (
        e.name === "TimeoutError" ||
        (e.cause as Error | undefined)?.name === "TimeoutError" ||
        /timeout/i.test(e.message)
      ) {
        throw new BusError("timeout", `request on ${subject} timed out after ${opts.timeoutMs} ms`, {
          subject,
        });
      }
      throw new BusError("closed", `request on ${subject} failed: ${e.message}`, { subject });
    }
  }

  inbox(): string {
    return `_INBOX.${crypto.randomUUID().replaceAll("-", "")}`;
  }

  async flush(): Promise<void> {
    await this.nc.flush();
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
    await this.closed();
  }

  /** Connected now: not closed, and not between a disconnect and its reconnect. */
  isConnected(): boolean {
    return this.connected && !this.nc.isClosed();
  }

  connectedSince(): number {
    return this.since;
  }
}
