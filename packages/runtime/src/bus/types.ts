/** Message headers: plain strings on both transports. */
export type Headers = Record<string, string>;

/**
 * Set on the message the transport delivers to a publish's reply subject when
 * nobody was subscribed to the subject (NATS's 503 no-responders status): a
 * cheap way to learn that a peer's subscription, and so usually the peer, is gone.
 */
export const NO_RESPONDERS_HEADER = "ke-no-responders";

export interface Msg {
  subject: string;
  data: Uint8Array;
  headers: Headers;
  /** Reply subject, when the sender expects an answer. */
  reply?: string;
}

export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface RequestOptions {
  headers?: Headers;
  timeoutMs: number;
}

/**
 * The few primitives both transports provide. Everything else (JSON helpers,
 * streams with credit, trace context) is built once on top of this, so the
 * in-process bus and NATS behave the same by construction.
 */
export interface Transport {
  readonly kind: "nats" | "memory";
  /** `reply`: where answers should go (scatter-gather). */
  publish(subject: string, data: Uint8Array, headers?: Headers, reply?: string): void;
  subscribe(subject: string, handler: (msg: Msg) => void, opts?: SubscribeOptions): Subscription;
  /** Rejects with BusError "no_responders" at once when nobody listens, "timeout" after timeoutMs. */
  request(subject: string, data: Uint8Array, opts: RequestOptions): Promise<Msg>;
  inbox(): string;
  flush(): Promise<void>;
  close(): Promise<void>;
  isConnected(): boolean;
  /**
   * When the current connection came up (ms since the epoch): what was heard
   * before it (another process's status, say) may be stale, as those
   * processes may not have reconnected yet.
   */
  connectedSince(): number;
}

export type BusErrorCode =
  "no_responders" | "timeout" | "closed" | "stream_lost" | "stream_error" | "bad_message";

export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "BusError";
  }
}
