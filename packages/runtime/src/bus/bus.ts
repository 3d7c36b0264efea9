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
export class Bus implements Transport {
  private readonly tracer;
  /** `service` names the spans this bus makes (the tracer's scope). */
  constructor(
    readonly transport: Transport,
    readonly service = "kokoro-edge",
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
  async gatherJson<S extends z.ZodTypeAny>(
    subject: string,
    body: unknown,
    schema: S,
    windowMs = 250,
  ): Promise<z.infer<S>[]> {
    const inbox = this.inbox();
    const out: z.infer<S>[] = [];
    const sub = this.transport.subscribe(inbox, (msg) => {
      const parsed = schema.safeParse(safeJson(msg.data));
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
  close(): Promise<void> {
    return this.transport.close();
  }
  isConnected(): boolean {
    return this.transport.isConnected();
  }

  /** Request/reply with JSON bodies; the reply is parsed with `schema`. */
  async requestJson<S extends z.ZodTypeAny>(
    subject: string,
    body: unknown,
    schema: S,
    opts: Partial<RequestOptions> = {},
  ): Promise<z.infer<S>> {
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
    const parsed = schema.safeParse(decodeJson(msg.data));
    if (!parsed.success)
      throw new BusError("bad_message", `unexpected reply on ${subject}: ${parsed.error.message}`);
    return parsed.data;
  }

  /**
   * Serve JSON request/reply. The request is validated with `schema`; a bad
   * request or a thrown AppError becomes `{ v, error }` in the reply.
   */
  serveJson<S extends z.ZodTypeAny>(
    subject: string,
    schema: S,
    handler: (req: z.infer<S>, msg: Msg) => Promise<unknown> | unknown,
    opts: SubscribeOptions = {},
  ): Subscription {
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
                const parsed = schema.safeParse(safeJson(msg.data));
                if (!parsed.success)
                  throw new AppError(
                    400,
                    "invalid_request",
                    `invalid request on ${subject}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ")}`,
                  );
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

  openStream(subject: string, body: unknown, opts: OpenStreamOptions = {}): Promise<StreamReader> {
    return inSpan(
      this.tracer,
      `${subject} open`,
      SpanKind.CLIENT,
      { "messaging.destination.name": subject },
      () => openStream(this, subject, body instanceof Uint8Array ? body : encodeJson(body), opts),
    );
  }

  /** Each stream runs in a server span that lasts until the stream ends. */
  serveStream(subject: string, opts: ServeStreamOptions, handler: StreamHandler): Subscription {
    return serveStream(this, subject, opts, (session) =>
      inSpan(
        this.tracer,
        `${subject} produce`,
        SpanKind.SERVER,
        { "messaging.destination.name": subject },
        () => handler(session),
      ),
    );
  }
}

function withTrace(headers: Headers): Headers {
  const out = { ...headers };
  propagation.inject(context.active(), out, setter);
  return out;
}

/** NATS when `natsUrl` is set, otherwise the in-process bus. */
export async function connectBus(natsUrl: string | undefined, name: string): Promise<Bus> {
  return new Bus(natsUrl ? await NatsTransport.connect(natsUrl, name) : new MemoryTransport(), name);
}
