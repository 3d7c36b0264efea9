import { context, propagation, type Context } from "@opentelemetry/api";
import type { z } from "zod";
import { decodeJson, encodeJson, safeJson } from "./codec";
import { MemoryTransport } from "./memory";
import { NatsTransport } from "./nats";
import {
  openStream,
  serveStream,
  type OpenStreamOptions,
  type ServeStreamOptions,
  type StreamHandler,
  type StreamReader,
} from "./stream";
import {
  BusError,
  type Headers,
  type Msg,
  type RequestOptions,
  type SubscribeOptions,
  type Subscription,
  type Transport,
} from "./types";
import { AppError, toWireError } from "../errors";
import { SpanKind, inSpan, tracer } from "../telemetry";

/**
 * The shapes of proto's contracts, as the bus needs them (structural: the runtime does not depend on
 * proto). Each binds a subject to the schemas that travel on it, so a call pairs them in the types.
 */
export interface RequestSubject<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny> {
  readonly subject: string;
  readonly request: Req;
  readonly reply: Rep;
}
export interface EventSubject<E extends z.ZodTypeAny> {
  readonly subject: string;
  readonly event: E;
}
export interface StreamSubject<Open extends z.ZodTypeAny, Accept extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly subject: string;
  /** The queue group the serving replicas share (none: every server gets every stream). */
  readonly queue?: string;
  readonly open: Open;
  readonly accept: Accept;
}

/** A request that failed its schema: a 400 naming each bad field. */
function invalidRequest(subject: string, error: z.ZodError): AppError {
  const issues = error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  return new AppError(400, "invalid_request", `invalid request on ${subject}: ${issues}`);
}

const getter = { get: (h: Headers, k: string) => h[k], keys: (h: Headers) => Object.keys(h) };
const setter = { set: (h: Headers, k: string, v: string) => void (h[k] = v) };

/** The trace context carried in a message's headers. */
export function contextFromHeaders(headers: Headers): Context {
  return propagation.extract(context.active(), headers, getter);
}

/**
 * The bus every service uses: a transport plus trace context in headers (sent
 * on publish and request, restored around every handler), JSON helpers
 * validated with zod, and credit-based streams.
 */
/** A request handler this process serves itself, callable without the transport (serveJson's `local`). */
type LocalHandler = (body: unknown) => Promise<unknown>;

export interface ServeJsonOptions extends SubscribeOptions {
  /**
   * Requests made on this same bus by this process go straight to this handler, not through the
   * transport (validated by the same schemas). For a stateless service that runs beside its
   * callers (g2p in the one-process stack on NATS): the caller gets its answer without two bus
   * hops, and other processes still reach it through the queue group.
   */
  local?: boolean;
}

/** Whether a stream opened by this process should go to this process's own producer (serveStream's `local`). */
export type LocalStreamPolicy = (open: unknown) => boolean;

export interface ServeStreamBusOptions extends Partial<ServeStreamOptions> {
  /**
   * Streams opened by this process on this bus go to this producer directly (over an in-process
   * transport: no server hop either way) whenever the policy says yes for the opening request; when
   * it says no (the producer is busy, or the request asks for another replica), they go through the
   * transport's queue group as any other process's do.
   */
  local?: LocalStreamPolicy;
}

export class Bus implements Transport {
  private readonly tracer;
  private readonly local = new Map<string, LocalHandler[]>();
  private readonly localStreams = new Map<string, LocalStreamPolicy[]>();
  /** The in-process transport local streams run on (made when a producer first serves one). */
  private localBus?: Bus;
  /** `service` names the spans this bus makes (the tracer's scope). */
  constructor(
    readonly transport: Transport,
    readonly service = "kokoro-edge",
    /** Honour serveJson's and serveStream's `local` (BUS_LOCAL_CALLS); off, every call crosses the transport. */
    readonly localCalls = true,
  ) {
    this.tracer = tracer(service);
  }

  get kind() {
    return this.transport.kind;
  }

  publish(subject: string, data: Uint8Array, headers: Headers = {}, reply?: string): void {
    this.transport.publish(subject, data, withTrace(headers), reply);
  }

  /**
   * Scatter-gather: publish a JSON request to every subscriber (no queue group)
   * and collect the valid replies that arrive within `windowMs`.
   */
  async gatherJson<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
    contract: RequestSubject<Req, Rep>,
    body: z.input<Req>,
    windowMs = 250,
  ): Promise<z.infer<Rep>[]> {
    const { subject } = contract;
    const inbox = this.inbox();
    const out: z.infer<Rep>[] = [];
    const sub = this.transport.subscribe(inbox, (msg) => {
      const parsed = contract.reply.safeParse(safeJson(msg.data));
      if (parsed.success) out.push(parsed.data);
    });
    try {
      this.publish(subject, encodeJson(body), {}, inbox);
      await new Promise((r) => setTimeout(r, windowMs));
    } finally {
      sub.unsubscribe();
    }
    return out;
  }

  subscribe(subject: string, handler: (msg: Msg) => void, opts?: SubscribeOptions): Subscription {
    return this.transport.subscribe(
      subject,
      (msg) => context.with(contextFromHeaders(msg.headers), () => handler(msg)),
      opts,
    );
  }

  request(subject: string, data: Uint8Array, opts: RequestOptions): Promise<Msg> {
    return this.transport.request(subject, data, { ...opts, headers: withTrace(opts.headers ?? {}) });
  }

  inbox(): string {
    return this.transport.inbox();
  }
  flush(): Promise<void> {
    return this.transport.flush();
  }
  async close(): Promise<void> {
    await this.localBus?.close();
    return this.transport.close();
  }
  isConnected(): boolean {
    return this.transport.isConnected();
  }
  connectedSince(): number {
    return this.transport.connectedSince();
  }

  /** Request/reply with JSON bodies; the reply is parsed with the contract's reply schema. */
  async requestJson<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
    contract: RequestSubject<Req, Rep>,
    body: z.input<Req>,
    opts: Partial<RequestOptions> = {},
  ): Promise<z.infer<Rep>> {
    const { subject } = contract;
    const local = this.local.get(subject)?.[0];
    if (local)
      return inSpan(
        this.tracer,
        `${subject} local`,
        SpanKind.INTERNAL,
        { "messaging.destination.name": subject },
        () => local(body),
      ) as Promise<z.infer<Rep>>;
    const msg = await inSpan(
      this.tracer,
      `${subject} request`,
      SpanKind.CLIENT,
      { "messaging.destination.name": subject },
      () =>
        this.request(subject, encodeJson(body), {
          timeoutMs: opts.timeoutMs ?? 10_000,
          headers: opts.headers,
        }),
    );
    const parsed = contract.reply.safeParse(decodeJson(msg.data));
    if (!parsed.success)
      throw new BusError("bad_message", `unexpected reply on ${subject}: ${parsed.error.message}`);
    return parsed.data;
  }

  /**
   * Serve JSON request/reply. The request is validated with the contract's request schema; a bad
   * request or a thrown AppError becomes `{ v, error }` in the reply.
   */
  serveJson<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
    contract: RequestSubject<Req, Rep>,
    handler: (req: z.infer<Req>, msg: Msg) => Promise<NoInfer<z.input<Rep>>> | NoInfer<z.input<Rep>>,
    opts: ServeJsonOptions = {},
  ): Subscription {
    const { subject } = contract;
    const { local, ...subscribeOpts } = opts;
    if (local && this.localCalls) {
      const call: LocalHandler = async (body) => {
        let out: unknown;
        try {
          const parsed = contract.request.safeParse(body);
          if (!parsed.success) throw invalidRequest(subject, parsed.error);
          out = await handler(parsed.data, { subject, data: new Uint8Array(0), headers: {} });
        } catch (err) {
          out = { v: 1, error: toWireError(err) };
        }
        // what the caller would have parsed from the wire
        const reply = contract.reply.safeParse(out);
        if (!reply.success)
          throw new BusError("bad_message", `unexpected reply on ${subject}: ${reply.error.message}`);
        return reply.data;
      };
      this.local.set(subject, [...(this.local.get(subject) ?? []), call]);
      const sub = this.serveJsonOnTransport(contract, handler, subscribeOpts);
      return {
        unsubscribe: () => {
          const rest = (this.local.get(subject) ?? []).filter((h) => h !== call);
          if (rest.length) this.local.set(subject, rest);
          else this.local.delete(subject);
          sub.unsubscribe();
        },
      };
    }
    return this.serveJsonOnTransport(contract, handler, subscribeOpts);
  }

  private serveJsonOnTransport<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
    contract: RequestSubject<Req, Rep>,
    handler: (req: z.infer<Req>, msg: Msg) => Promise<NoInfer<z.input<Rep>>> | NoInfer<z.input<Rep>>,
    opts: SubscribeOptions,
  ): Subscription {
    const { subject } = contract;
    return this.subscribe(
      subject,
      (msg) => {
        if (!msg.reply) return;
        const reply = msg.reply;
        (async () => {
          let out: unknown;
          await inSpan(
            this.tracer,
            `${subject} handle`,
            SpanKind.SERVER,
            { "messaging.destination.name": subject },
            async (span) => {
              try {
                const parsed = contract.request.safeParse(safeJson(msg.data));
                if (!parsed.success) throw invalidRequest(subject, parsed.error);
                out = await handler(parsed.data, msg);
              } catch (err) {
                const wire = toWireError(err);
                span.setAttribute("error.code", wire.code);
                out = { v: 1, error: wire };
              }
            },
          );
          try {
            this.transport.publish(reply, encodeJson(out), withTrace({}));
          } catch {
            /* bus closed while answering */
          }
        })().catch((err) => {
          // Only the tracing around the handler can get here: the request stays unanswered and times out.
          console.error(
            JSON.stringify({
              level: "error",
              msg: "bus request handler failed",
              subject,
              error: String(err),
            }),
          );
        });
      },
      opts,
    );
  }

  /** Publish an event (every listener hears it). */
  publishEvent<E extends z.ZodTypeAny>(contract: EventSubject<E>, body: z.input<E>): void {
    this.publish(contract.subject, encodeJson(body));
  }

  /** Listen to an event; a message that does not fit the contract is dropped. */
  onEvent<E extends z.ZodTypeAny>(
    contract: EventSubject<E>,
    handler: (event: z.infer<E>, msg: Msg) => void,
  ): Subscription {
    return this.subscribe(contract.subject, (msg) => {
      const parsed = contract.event.safeParse(safeJson(msg.data));
      if (parsed.success) handler(parsed.data, msg);
    });
  }

  /**
   * Open a stream; resolves once a producer accepted it, with its accept message parsed by the
   * contract (`reader.accept`).
   */
  openStream<Open extends z.ZodTypeAny, Accept extends z.ZodTypeAny>(
    contract: StreamSubject<Open, Accept>,
    body: z.input<Open>,
    opts: OpenStreamOptions = {},
  ): Promise<StreamReader & { accept: z.infer<Accept> }> {
    const { subject } = contract;
    return inSpan(
      this.tracer,
      `${subject} open`,
      SpanKind.CLIENT,
      { "messaging.destination.name": subject },
      async () => {
        const here = this.localStreams.get(subject)?.some((wants) => wants(body));
        const reader = await openStream(here ? this.localBus! : this, subject, encodeJson(body), opts);
        const accept = contract.accept.safeParse(safeJson(reader.accepted.data));
        if (!accept.success) {
          reader.cancel("bad accept message");
          throw new BusError("bad_message", `unexpected accept on ${subject}: ${accept.error.message}`);
        }
        return Object.assign(reader, { accept: accept.data as z.infer<Accept> });
      },
    );
  }

  /**
   * Serve a stream in the contract's queue group. The opening request is validated with the
   * contract's schema (a bad one is rejected with a 400) and handed to the handler parsed. Each
   * stream runs in a server span that lasts until the stream ends.
   */
  serveStream<Open extends z.ZodTypeAny>(
    contract: StreamSubject<Open>,
    handler: (session: Parameters<StreamHandler>[0], request: z.infer<Open>) => ReturnType<StreamHandler>,
    opts: ServeStreamBusOptions = {},
  ): Subscription {
    const { subject } = contract;
    const { local, ...streamOpts } = opts;
    const options = { ...(contract.queue ? { queue: contract.queue } : {}), ...streamOpts };
    const produce: StreamHandler = (session) =>
      inSpan(
        this.tracer,
        `${subject} produce`,
        SpanKind.SERVER,
        { "messaging.destination.name": subject },
        async () => {
          const parsed = contract.open.safeParse(safeJson(session.request.data));
          if (!parsed.success) throw invalidRequest(subject, parsed.error);
          return handler(session, parsed.data);
        },
      );
    const sub = serveStream(this, subject, options, produce);
    // on the in-process bus every stream is local already
    if (!local || !this.localCalls || this.transport.kind === "memory") return sub;
    this.localBus ??= new Bus(new MemoryTransport(), this.service);
    const localSub = serveStream(this.localBus, subject, options, produce);
    this.localStreams.set(subject, [...(this.localStreams.get(subject) ?? []), local]);
    return {
      unsubscribe: () => {
        const rest = (this.localStreams.get(subject) ?? []).filter((p) => p !== local);
        if (rest.length) this.localStreams.set(subject, rest);
        else this.localStreams.delete(subject);
        localSub.unsubscribe();
        sub.unsubscribe();
      },
    };
  }
}

function withTrace(headers: Headers): Headers {
  const out = { ...headers };
  propagation.inject(context.active(), out, setter);
  return out;
}

/** NATS when `natsUrl` is set, otherwise the in-process bus. */
export async function connectBus(natsUrl: string | undefined, name: string, localCalls = true): Promise<Bus> {
  return new Bus(
    natsUrl ? await NatsTransport.connect(natsUrl, name) : new MemoryTransport(),
    name,
    localCalls,
  );
}
