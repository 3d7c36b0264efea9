/**
 * What every realtime protocol does with its socket, apart from the protocol:
 * backpressure (audio waits while the client has too much unread), the
 * per-caller socket cap and text rate, the idle timeout, and closing once.
 * Close codes: 1000 normal or idle, 1003 binary frame where text is expected
 * (protocols decide), 1008 policy (auth, limits), 1009 too big (the platform),
 * 1011 server error.
 */
import type { ServerSocket } from "@kokoro-edge/runtime";

/** Bytes the client may leave unread before the speaker waits for it to catch up. */
export const HIGH_WATER_BYTES = 256 * 1024;

export const CLOSE = {
  normal: 1000,
  unsupported: 1003,
  policy: 1008,
  tooBig: 1009,
  serverError: 1011,
} as const;

export interface RealtimeLimits {
  /** Concurrent realtime sockets per caller (0 = unlimited). */
  maxSockets: number;
  /** Characters of text per caller per minute (0 = unlimited). */
  charsPerMinute: number;
  /** A socket with no message and no audio in flight for this long is closed (ms; 0 = never). */
  idleTimeoutMs: number;
}

/** Characters per minute per caller, shared by all the caller's sockets (a token bucket). */
export class TextRate {
  private buckets = new Map<string, { tokens: number; at: number }>();
  take(id: string, chars: number, perMinute: number, now = Date.now()): boolean {
    if (perMinute <= 0) return true;
    const b = this.buckets.get(id) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    if (this.buckets.size > 10_000) this.buckets.clear();
    this.buckets.set(id, b);
    if (b.tokens < chars) return false;
    b.tokens -= chars;
    return true;
  }
}

export class SocketSession {
  private socket?: ServerSocket;
  private waiters: Array<() => void> = [];
  private idleTimer?: ReturnType<typeof setTimeout>;
  private epoch = 0;
  closed = false;
  /** Set once the socket is open; the route's open handler runs after it. */
  onIdle?: () => void;

  constructor(private readonly idleTimeoutMs: number) {}

  attach(socket: ServerSocket) {
    this.socket = socket;
    this.touch();
  }

  /** Activity: restart the idle clock. */
  touch() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.idleTimeoutMs <= 0 || this.closed) return;
    this.idleTimer = setTimeout(() => this.onIdle?.(), this.idleTimeoutMs);
  }

  sendJson(obj: unknown) {
    if (this.closed || !this.socket) return;
    this.socket.send(JSON.stringify(obj));
  }

  /** Send audio; resolves when the client has room for more (or the socket is gone). */
  async sendAudio(bytes: Uint8Array | string): Promise<void> {
    if (this.closed || !this.socket || bytes.length === 0) return;
    this.socket.send(bytes);
    this.touch();
    const epoch = this.epoch;
    while (!this.closed && epoch === this.epoch && this.socket.bufferedAmount() > HIGH_WATER_BYTES) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Barge-in: audio waiting for room is no longer wanted; its sender returns at once. */
  abortWaits() {
    this.epoch++;
    this.release();
  }

  /** The socket drained: waiting senders look again. */
  release() {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  close(code: number, reason: string) {
    if (this.closed) return;
    this.gone();
    this.socket?.close(code, reason);
  }

  /** The connection ended (either side). */
  gone() {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.abortWaits();
  }
}
