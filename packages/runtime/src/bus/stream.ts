/**
 * Streamed replies with credit-based flow control, built on the transport's
 * primitives so the in-process bus and NATS share one implementation.
 *
 *   consumer                                   producer (queue group member)
 *   request(subject, body, inbox, credit) ---> accept: reply {status, ctl}
 *                    <--- data seq=0,1,.. to inbox (only while seq < granted)
 *   {granted: n} / {cancel} on ctl ------->    (also every keepaliveMs: "I am alive")
 *                    <--- hb every hbMs, then end | error (| gone: "I am dying")
 *
 * A slow consumer grants no credit, so the producer waits and memory stays
 * bounded by the window. A consumer that goes away (cancel, or silence on ctl)
 * aborts the producer's signal; a producer that goes away (no message for
 * idleTimeoutMs) fails the consumer with `stream_lost` and the next sequence
 * number, so the caller can resume elsewhere (`firstSeq`/`fromSeq`).
 *
 * Noticing a dead producer fast (a failover the listener does not hear): the
 * consumer may ask for heartbeats every `heartbeatMs`, and then calls the
 * producer gone after a silence learned from how regular they arrive
 * (silence.ts) instead of the fixed idle timeout; its control messages carry a
 * reply subject, so when the producer's control subscription has vanished (its
 * connection closed: a killed process) the transport answers "no responders"
 * within a round trip; and a producer that knows it is dying says so ("gone").
 */
import { decodeJson, encodeJson } from "./codec";
import { SilenceDetector } from "./silence";
import {
  BusError,
  NO_RESPONDERS_HEADER,
  type Headers,
  type Msg,
  type SubscribeOptions,
  type Subscription,
  type Transport,
} from "./types";
import { toWireError, type WireErrorLike } from "../errors";

/** Stream protocol version, carried by every stream message (header) and control message (`v`). */
export const STREAM_PROTOCOL_VERSION = "1";

const H = {
  version: "ke-v",
  inbox: "ke-stream-inbox",
  credit: "ke-stream-credit",
  seq0: "ke-stream-seq0",
  from: "ke-stream-from",
  status: "ke-stream-status",
  ctl: "ke-stream-ctl",
  kind: "ke-stream-kind",
  seq: "ke-stream-seq",
  heartbeat: "ke-stream-hb",
} as const;

type Kind = "data" | "end" | "error" | "hb" | "gone";

/** Heartbeat intervals a consumer may ask for (ms). */
const MIN_HEARTBEAT_MS = 20;
const MAX_HEARTBEAT_MS = 10_000;

export interface StreamMessage {
  seq: number;
  data: Uint8Array;
  headers: Headers;
}

export interface OpenStreamOptions {
  headers?: Headers;
  /** How many data messages may be in flight ahead of the reader. */
  credit?: number;
  acceptTimeoutMs?: number;
  /** Fail with stream_lost when the producer says nothing (not even a heartbeat) for this long. */
  idleTimeoutMs?: number;
  keepaliveMs?: number;
  /**
   * Ask the producer for a heartbeat this often (ms), and call it gone after a
   * silence learned from their jitter (at most idleTimeoutMs). Unset: the
   * producer's own interval, and silence means idleTimeoutMs.
   */
  heartbeatMs?: number;
  /** With heartbeatMs: never call the producer gone after less silence than this (ms). */
  silenceFloorMs?: number;
  /** Sequence number of the producer's first data message (resume: where the old stream stopped). */
  firstSeq?: number;
  /** The producer does not send data messages numbered below this (already received). */
  fromSeq?: number;
  signal?: AbortSignal;
}

class StreamClosed extends Error {}

export class StreamReader implements AsyncIterable<StreamMessage> {
  /** The producer's accept reply (its body is application data). */
  accepted!: Msg;
  /** The end message, once the stream finished normally. */
  end?: Msg;
  /** Next sequence number expected. */
  nextSeq: number;
  private queue: Array<{ kind: Kind; msg: Msg }> = [];
  private waiter?: () => void;
  private failure?: Error;
  private done = false;
  private sub?: Subscription;
  private ctl?: string;
  private timers: ReturnType<typeof setInterval>[] = [];
  private lastHeard = Date.now();
  private consumed = 0;

  constructor(
    private readonly transport: Transport,
    private readonly opts: Required<
      Omit<OpenStreamOptions, "headers" | "signal" | "heartbeatMs" | "silenceFloorMs">
    > &
      Pick<OpenStreamOptions, "headers" | "signal" | "heartbeatMs" | "silenceFloorMs">,
  ) {
    this.nextSeq = opts.fromSeq;
    this.silence = opts.heartbeatMs
      ? new SilenceDetector({
          heartbeatMs: opts.heartbeatMs,
          ceilingMs: opts.idleTimeoutMs,
          floorMs: opts.silenceFloorMs,
        })
      : undefined;
  }

  private readonly silence?: SilenceDetector;
  private probeInbox?: string;
  private probeSub?: Subscription;

  /** Silence (ms) after which the producer counts as gone now. */
  get silenceThresholdMs(): number {
    return this.silence?.thresholdMs() ?? this.opts.idleTimeoutMs;
  }

  async open(subject: string, body: Uint8Array): Promise<this> {
    const inbox = this.transport.inbox();
    this.sub = this.transport.subscribe(inbox, (msg) => this.onMessage(msg));
    const onAbort = () => this.cancel("aborted by caller");
    this.opts.signal?.addEventListener("abort", onAbort, { once: true });
    let reply: Msg;
    try {
      reply = await this.transport.request(subject, body, {
        timeoutMs: this.opts.acceptTimeoutMs,
        headers: {
          ...this.opts.headers,
          [H.version]: STREAM_PROTOCOL_VERSION,
          [H.inbox]: inbox,
          [H.credit]: String(this.opts.credit),
          [H.seq0]: String(this.opts.firstSeq),
          [H.from]: String(this.opts.fromSeq),
          ...(this.opts.heartbeatMs ? { [H.heartbeat]: String(this.opts.heartbeatMs) } : {}),
        },
      });
    } catch (err) {
      this.close();
      throw err;
    }
    if (reply.headers[H.status] !== "accepted") {
      this.close();
      throw new StreamRejected(parseError(reply.data));
    }
    this.accepted = reply;
    this.ctl = reply.headers[H.ctl];
    this.lastHeard = Date.now();
    // Control messages carry this reply subject: when the producer's control subscription is gone, the transport says so here.
    this.probeInbox = this.transport.inbox();
    this.probeSub = this.transport.subscribe(this.probeInbox, (m) => {
      if (m.headers[NO_RESPONDERS_HEADER] === "1")
        this.lose("no_responders", "the producer's control subscription is gone");
    });
    const every = this.opts.heartbeatMs
      ? Math.max(MIN_HEARTBEAT_MS, Math.min(this.opts.keepaliveMs, this.opts.heartbeatMs))
      : Math.min(this.opts.keepaliveMs, this.opts.idleTimeoutMs / 2);
    let lastTick = Date.now();
    this.timers.push(
      setInterval(() => {
        if (this.done) return;
        this.sendCtl({ granted: this.granted() });
        const now = Date.now();
        const stalled = now - lastTick - every;
        lastTick = now;
        if (stalled > every) {
          // This process's event loop was blocked: timers run before the messages that arrived
          // meanwhile are read, so the producer's silence is not known yet. Do not count the
          // stall; the next tick decides, after the I/O has been read (issue 20, finding 5: busy
          // gateways declared healthy synth workers lost).
          this.lastHeard += stalled;
          return;
        }
        const threshold = this.silenceThresholdMs;
        if (now - this.lastHeard > threshold)
          this.lose("silence", `producer silent for ${Math.round(threshold)} ms`);
      }, every),
    );
    return this;
  }

  /** Tell the producer to stop, and stop reading. */
  cancel(reason = "cancelled"): void {
    if (this.done) return;
    this.sendCtl({ cancel: reason });
    this.fail(new StreamClosed(reason));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamMessage> {
    try {
      while (true) {
        const item = await this.take();
        if (!item) return;
        const { kind, msg } = item;
        if (kind === "end") {
          this.end = msg;
          this.close();
          return;
        }
        if (kind === "error") {
          this.close();
          throw new StreamFailed(parseError(msg.data));
        }
        const seq = Number(msg.headers[H.seq]);
        if (seq !== this.nextSeq) {
          // Core NATS may drop messages for a slow subscriber; a gap means this stream cannot be trusted.
          this.sendCtl({ cancel: "sequence gap" });
          this.close();
          throw new BusError("stream_lost", `expected message ${this.nextSeq}, got ${seq}`, {
            nextSeq: this.nextSeq,
          });
        }
        this.nextSeq = seq + 1;
        this.consumed++;
        this.sendCtl({ granted: this.granted() });
        yield { seq, data: msg.data, headers: msg.headers };
      }
    } finally {
      if (!this.done) this.cancel("consumer stopped reading");
    }
  }

  /** Why the producer was given up on, once it was: how it was noticed. */
  lostBy?: "silence" | "no_responders" | "gone";

  /**
   * The producer is gone: the consumer still reads what already arrived, then
   * gets stream_lost with the next sequence number. Ignored once the stream's
   * end (or error) has arrived: a producer that finished may vanish.
   */
  private lose(by: "silence" | "no_responders" | "gone", why: string) {
    if (this.done || this.queue.some((i) => i.kind === "end" || i.kind === "error")) return;
    this.lostBy = by;
    this.failure = new BusError("stream_lost", why, { by }); // nextSeq: set when it is thrown, after the queue is read
    this.queue = this.queue.filter((i) => i.kind === "data");
    this.close();
  }

  private granted(): number {
    return this.opts.fromSeq + this.consumed + this.opts.credit;
  }

  private onMessage(msg: Msg) {
    if (this.done) return;
    const now = Date.now();
    this.silence?.observe(now - this.lastHeard);
    this.lastHeard = now;
    const kind = (msg.headers[H.kind] ?? "data") as Kind;
    if (kind === "hb") return;
    if (kind === "gone") return this.lose("gone", "the producer said it is going away");
    this.queue.push({ kind, msg });
    this.wake();
  }

  private async take(): Promise<{ kind: Kind; msg: Msg } | undefined> {
    while (true) {
      const item = this.queue.shift();
      if (item) return item;
      if (this.failure) {
        if (this.failure instanceof StreamClosed) return undefined;
        if (this.failure instanceof BusError && this.failure.details.nextSeq === undefined)
          this.failure.details.nextSeq = this.nextSeq;
        throw this.failure;
      }
      if (this.done) return undefined;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  private wake() {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private fail(err: Error) {
    if (this.done) return;
    this.failure = err;
    this.queue = this.queue.filter((i) => i.kind !== "hb");
    if (!(err instanceof StreamClosed)) this.queue = [];
    this.close();
  }

  private close() {
    this.done = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.sub?.unsubscribe();
    this.sub = undefined;
    this.probeSub?.unsubscribe();
    this.probeSub = undefined;
    this.wake();
  }

  private sendCtl(body: { granted?: number; cancel?: string }) {
    if (!this.ctl) return;
    try {
      this.transport.publish(this.ctl, encodeJson({ v: 1, ...body }), {}, this.probeInbox);
    } catch {
      /* bus closed: nothing to tell */
    }
  }
}

export class StreamRejected extends Error {
  constructor(readonly error: WireErrorLike) {
    super(error.message);
    this.name = "StreamRejected";
  }
}

export class StreamFailed extends Error {
  constructor(readonly error: WireErrorLike) {
    super(error.message);
    this.name = "StreamFailed";
  }
}

function parseError(data: Uint8Array): WireErrorLike {
  try {
    return toWireError(decodeJson(data));
  } catch {
    return { code: "bad_message", message: "unreadable error from producer", status: 502 };
  }
}

export async function openStream(
  transport: Transport,
  subject: string,
  body: Uint8Array,
  opts: OpenStreamOptions = {},
): Promise<StreamReader> {
  const reader = new StreamReader(transport, {
    headers: opts.headers,
    signal: opts.signal,
    credit: opts.credit ?? 4,
    acceptTimeoutMs: opts.acceptTimeoutMs ?? 10_000,
    idleTimeoutMs: opts.idleTimeoutMs ?? 5_000,
    keepaliveMs: opts.keepaliveMs ?? 1_000,
    heartbeatMs: opts.heartbeatMs,
    silenceFloorMs: opts.silenceFloorMs,
    firstSeq: opts.firstSeq ?? 0,
    fromSeq: opts.fromSeq ?? opts.firstSeq ?? 0,
  });
  return reader.open(subject, body);
}

// ---------------------------------------------------------------- producer

export interface StreamSession {
  readonly request: Msg;
  /** Aborted when the consumer cancels or goes silent: stop work within one chunk. */
  readonly signal: AbortSignal;
  /** Send the accept reply (with application data). Called implicitly by the first send. */
  accept(data?: Uint8Array, headers?: Headers): void;
  /** Send one data message; waits for credit. Rejects once the signal is aborted. */
  send(data: Uint8Array, headers?: Headers): Promise<void>;
  /** Sequence number the next send will get. */
  readonly nextSeq: number;
  /** True if the next send would be skipped (the consumer has it already). */
  readonly skipping: boolean;
}

export interface ServeStreamOptions extends SubscribeOptions {
  heartbeatMs?: number;
  /** Abort when the consumer says nothing on the control subject for this long. */
  consumerTimeoutMs?: number;
}

export type StreamHandler = (
  session: StreamSession,
) => Promise<{ data?: Uint8Array; headers?: Headers } | void>;

/** Streams this process is producing: each entry tells its consumer "gone". */
const liveProducers = new Set<() => void>();

/**
 * This process is about to die (an uncaught error, a shutdown whose grace ran
 * out): tell every consumer of a stream it produces, best effort, so each
 * resumes elsewhere at once instead of waiting out a silence. Flush the bus
 * afterwards. Returns how many streams were told.
 */
export function announceProducersGone(): number {
  const n = liveProducers.size;
  for (const tell of liveProducers) tell();
  liveProducers.clear();
  return n;
}

export function serveStream(
  transport: Transport,
  subject: string,
  opts: ServeStreamOptions,
  handler: StreamHandler,
): Subscription {
  const heartbeatMs = opts.heartbeatMs ?? 1_000;
  const consumerTimeoutMs = opts.consumerTimeoutMs ?? 5_000;
  return transport.subscribe(
    subject,
    (req) => {
      // Nothing awaits a producer: whatever it throws ends here, never as an unhandled rejection.
      runProducer(transport, req, heartbeatMs, consumerTimeoutMs, handler).catch(() => {});
    },
    { queue: opts.queue },
  );
}

async function runProducer(
  transport: Transport,
  req: Msg,
  defaultHeartbeatMs: number,
  consumerTimeoutMs: number,
  handler: StreamHandler,
) {
  const inbox = req.headers[H.inbox];
  if (!req.reply || !inbox) return; // not a stream request
  // The consumer may ask for heartbeats more often than the default (to notice our death sooner).
  const asked = Number(req.headers[H.heartbeat]);
  const heartbeatMs =
    Number.isFinite(asked) && asked > 0
      ? Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, asked))
      : defaultHeartbeatMs;
  const ctl = transport.inbox();
  const abort = new AbortController();
  let granted = Number(req.headers[H.seq0] ?? 0) + Number(req.headers[H.credit] ?? 4);
  let seq = Number(req.headers[H.seq0] ?? 0);
  const fromSeq = Number(req.headers[H.from] ?? seq);
  granted = Math.max(granted, fromSeq + Number(req.headers[H.credit] ?? 4));
  let accepted = false;
  let lastHeard = Date.now();
  let creditWaiter: (() => void) | undefined;
  const wake = () => {
    const w = creditWaiter;
    creditWaiter = undefined;
    w?.();
  };

  let ctlSub: Subscription;
  try {
    ctlSub = transport.subscribe(ctl, (m) => {
      lastHeard = Date.now();
      try {
        const body = decodeJson(m.data) as { granted?: number; cancel?: string };
        if (typeof body.granted === "number" && body.granted > granted) {
          granted = body.granted;
          wake();
        }
        if (body.cancel) abort.abort(new BusError("closed", `consumer cancelled: ${body.cancel}`));
      } catch {
        /* ignore malformed control messages */
      }
    });
  } catch (err) {
    // The bus is closing (a draining NATS connection still delivers, but takes no new subscription):
    // say no at once if it still can, else the consumer's accept timeout sends it elsewhere.
    try {
      transport.publish(req.reply, encodeJson(toWireError(err)), {
        [H.status]: "rejected",
        [H.version]: STREAM_PROTOCOL_VERSION,
      });
    } catch {
      /* bus closed */
    }
    return;
  }
  abort.signal.addEventListener("abort", wake);

  const publish = (kind: Kind, data: Uint8Array, headers: Headers = {}) => {
    try {
      transport.publish(inbox, data, { ...headers, [H.kind]: kind, [H.version]: STREAM_PROTOCOL_VERSION });
    } catch {
      abort.abort(new BusError("closed", "bus closed"));
    }
  };
  const hb = setInterval(() => {
    if (Date.now() - lastHeard > consumerTimeoutMs) {
      abort.abort(new BusError("closed", `consumer silent for ${consumerTimeoutMs} ms`));
      return;
    }
    if (accepted) publish("hb", new Uint8Array(0));
  }, heartbeatMs);

  const tellGone = () => {
    if (accepted && !abort.signal.aborted) publish("gone", new Uint8Array(0));
  };
  liveProducers.add(tellGone);

  const accept = (data: Uint8Array = new Uint8Array(0), headers: Headers = {}) => {
    if (accepted) return;
    accepted = true;
    lastHeard = Date.now();
    transport.publish(req.reply!, data, {
      ...headers,
      [H.status]: "accepted",
      [H.ctl]: ctl,
      [H.version]: STREAM_PROTOCOL_VERSION,
    });
  };

  const session: StreamSession = {
    request: req,
    signal: abort.signal,
    accept,
    get nextSeq() {
      return seq;
    },
    get skipping() {
      return seq < fromSeq;
    },
    async send(data, headers = {}) {
      accept();
      if (abort.signal.aborted) throw abort.signal.reason;
      const mine = seq++;
      if (mine < fromSeq) return;
      while (mine >= granted) {
        if (abort.signal.aborted) throw abort.signal.reason;
        await new Promise<void>((r) => (creditWaiter = r));
      }
      if (abort.signal.aborted) throw abort.signal.reason;
      publish("data", data, { ...headers, [H.seq]: String(mine) });
    },
  };

  try {
    const result = await handler(session);
    if (!accepted) accept();
    if (!abort.signal.aborted) publish("end", result?.data ?? new Uint8Array(0), result?.headers);
  } catch (err) {
    const wire = toWireError(err);
    if (!accepted) {
      try {
        transport.publish(req.reply, encodeJson(wire), {
          [H.status]: "rejected",
          [H.version]: STREAM_PROTOCOL_VERSION,
        });
      } catch {
        /* bus closed */
      }
    } else if (!abort.signal.aborted) {
      publish("error", encodeJson(wire));
    }
  } finally {
    liveProducers.delete(tellGone);
    clearInterval(hb);
    ctlSub.unsubscribe();
    if (!abort.signal.aborted) abort.abort(new BusError("closed", "stream finished"));
  }
}
