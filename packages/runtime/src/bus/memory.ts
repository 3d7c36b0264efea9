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

interface Sub {
  handler: (msg: Msg) => void;
  queue?: string;
  closed: boolean;
}

let inboxCounter = 0;

/**
 * In-process transport for the one-process setup and for tests. Delivery is
 * asynchronous (microtasks, in publish order), payloads are copied, queue
 * groups get round-robin delivery: the same semantics the code relies on with NATS.
 */
export class MemoryTransport implements Transport {
  readonly kind = "memory" as const;
  private subs = new Map<string, Sub[]>();
  private rr = new Map<string, number>();
  private closed = false;
  private readonly createdAt = Date.now();

  publish(subject: string, data: Uint8Array, headers: Headers = {}, reply?: string): void {
    if (this.closed) throw new BusError("closed", "bus is closed");
    const targets = this.targets(subject);
    // As NATS does: a message that expects an answer and reaches nobody gets a no-responders status back.
    if (targets.length === 0 && reply) {
      queueMicrotask(() => {
        if (!this.closed) this.publish(reply, new Uint8Array(0), { [NO_RESPONDERS_HEADER]: "1" });
      });
    }
    for (const sub of targets) {
      const msg: Msg = { subject, data: data.slice(), headers: { ...headers }, reply };
      queueMicrotask(() => {
        if (sub.closed) return;
        try {
          sub.handler(msg);
        } catch (err) {
          console.error(
            JSON.stringify({ level: "error", msg: "memory bus handler threw", subject, error: String(err) }),
          );
        }
      });
    }
  }

  subscribe(subject: string, handler: (msg: Msg) => void, opts: SubscribeOptions = {}): Subscription {
    const sub: Sub = { handler, queue: opts.queue, closed: false };
    const list = this.subs.get(subject) ?? [];
    list.push(sub);
    this.subs.set(subject, list);
    return {
      unsubscribe: () => {
        sub.closed = true;
        const l = this.subs.get(subject);
        if (!l) return;
        const i = l.indexOf(sub);
        if (i >= 0) l.splice(i, 1);
        if (l.length === 0) this.subs.delete(subject);
      },
    };
  }

  request(subject: string, data: Uint8Array, opts: RequestOptions): Promise<Msg> {
    if (this.closed) return Promise.reject(new BusError("closed", "bus is closed"));
    if (this.targets(subject, false).length === 0) {
      return Promise.reject(new BusError("no_responders", `no responders on ${subject}`, { subject }));
    }
    const inbox = this.inbox();
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.unsubscribe();
        reject(
          new BusError("timeout", `request on ${subject} timed out after ${opts.timeoutMs} ms`, { subject }),
        );
      }, opts.timeoutMs);
      const sub = this.subscribe(inbox, (msg) => {
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(msg);
      });
      this.publish(subject, data, opts.headers, inbox);
    });
  }

  inbox(): string {
    return `_INBOX.mem.${++inboxCounter}.${Math.random().toString(36).slice(2, 10)}`;
  }

  async flush(): Promise<void> {
    await new Promise((r) => setTimeout(r, 0));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const list of this.subs.values()) for (const s of list) s.closed = true;
    this.subs.clear();
  }

  isConnected(): boolean {
    return !this.closed;
  }

  /** In process: connected from the start. */
  connectedSince(): number {
    return this.createdAt;
  }

  /** Plain subscribers all get the message; each queue group gets it once (round-robin). */
  private targets(subject: string, advance = true): Sub[] {
    const list = this.subs.get(subject);
    if (!list || list.length === 0) return [];
    const out: Sub[] = [];
    const groups = new Map<string, Sub[]>();
    for (const s of list) {
      if (!s.queue) out.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const [queue, members] of groups) {
      const key = `${subject}\u0000${queue}`;
      const n = this.rr.get(key) ?? 0;
      if (advance) this.rr.set(key, n + 1);
      out.push(members[n % members.length]!);
    }
    return out;
  }
}
