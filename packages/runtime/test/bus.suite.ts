import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { context, propagation, trace, TraceFlags } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  Bus,
  BusError,
  StreamFailed,
  StreamRejected,
  announceProducersGone,
  decodeJson,
  encodeJson,
  type Msg,
  type Transport,
} from "../src/bus";
import { AppError } from "../src/errors";

/** Test subjects bound to schemas the way proto's contracts are. */
const rpc = <Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  subject: string,
  request: Req,
  reply: Rep,
) => ({
  subject,
  request,
  reply,
});
const chan = (subject: string) => ({ subject, open: z.any(), accept: z.any() });

/** A transport that can be killed: its subscriptions vanish and it sends nothing more, as when NATS closes a dead process's connection. */
class Killable implements Transport {
  private subs = new Set<{ unsubscribe(): void }>();
  dead = false;
  constructor(private readonly inner: Transport) {}
  get kind() {
    return this.inner.kind;
  }
  kill() {
    this.dead = true;
    for (const s of this.subs) s.unsubscribe();
  }
  publish(s: string, d: Uint8Array, h?: Record<string, string>, r?: string) {
    if (!this.dead) this.inner.publish(s, d, h, r);
  }
  subscribe(s: string, h: (m: Msg) => void, o?: { queue?: string }) {
    const sub = this.inner.subscribe(s, h, o);
    this.subs.add(sub);
    return sub;
  }
  request(s: string, d: Uint8Array, o: { timeoutMs: number; headers?: Record<string, string> }) {
    return this.inner.request(s, d, o);
  }
  inbox() {
    return this.inner.inbox();
  }
  flush() {
    return this.inner.flush();
  }
  close() {
    return this.inner.close();
  }
  isConnected() {
    return this.inner.isConnected();
  }
  connectedSince() {
    return this.inner.connectedSince();
  }
}

let subjectCounter = 0;
const subj = (name: string) => `test.${name}.${Date.now()}.${++subjectCounter}`;

/** A transport whose outgoing traffic can be cut, to play a process that died. */
class Severable implements Transport {
  severed = false;
  constructor(private readonly inner: Transport) {}
  get kind() {
    return this.inner.kind;
  }
  publish(s: string, d: Uint8Array, h?: Record<string, string>, r?: string) {
    if (!this.severed) this.inner.publish(s, d, h, r);
  }
  subscribe(s: string, h: (m: Msg) => void, o?: { queue?: string }) {
    return this.inner.subscribe(s, (m) => !this.severed && h(m), o);
  }
  request(s: string, d: Uint8Array, o: { timeoutMs: number; headers?: Record<string, string> }) {
    return this.inner.request(s, d, o);
  }
  inbox() {
    return this.inner.inbox();
  }
  flush() {
    return this.inner.flush();
  }
  close() {
    return this.inner.close();
  }
  isConnected() {
    return this.inner.isConnected();
  }
  connectedSince() {
    return this.inner.connectedSince();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same behaviour, whichever transport: run for the in-process bus and for NATS. */
export function busSuite(name: string, makeTransports: () => Promise<[Transport, Transport]>) {
  describe(`bus (${name})`, () => {
    let a: Bus; // consumer side
    let b: Bus; // producer side
    let bRaw: Transport;

    beforeAll(async () => {
      const [t1, t2] = await makeTransports();
      a = new Bus(t1);
      bRaw = t2;
      b = new Bus(t2);
    });
    afterAll(async () => {
      await a.close();
      if (bRaw !== a.transport) await b.close();
    });

    test("request/reply with JSON validated on both ends", async () => {
      const s = subj("echo");
      const sub = b.serveJson(rpc(s, z.object({ n: z.number() }), z.any()), (req) => ({
        doubled: req.n * 2,
      }));
      await b.flush();
      const out = await a.requestJson(rpc(s, z.any(), z.object({ doubled: z.number() })), { n: 21 });
      expect(out.doubled).toBe(42);
      const bad = await a.requestJson(rpc(s, z.any(), z.any()), { n: "x" });
      expect(bad.error.status).toBe(400);
      expect(bad.error.code).toBe("invalid_request");
      sub.unsubscribe();
    });

    test("a local handler answers requests made on its own bus directly, and others' through the transport", async () => {
      const s = subj("local");
      let onTransport = 0;
      const transportSub = b.transport.subscribe(s, () => onTransport++); // sees every message on the subject
      const sub = b.serveJson(
        rpc(s, z.object({ n: z.number() }), z.union([z.object({ doubled: z.number() }), z.any()])),
        (req) => {
          if (req.n < 0) throw new AppError(422, "negative", "no negatives");
          return { doubled: req.n * 2 };
        },
        { queue: "local-q", local: true },
      );
      await b.flush();
      const contract = rpc(s, z.any(), z.any());
      // on the serving bus: straight to the handler, schemas and errors as over the wire
      expect(await b.requestJson(contract, { n: 4 })).toEqual({ doubled: 8 });
      expect((await b.requestJson(contract, { n: "x" })).error).toMatchObject({
        status: 400,
        code: "invalid_request",
      });
      expect((await b.requestJson(contract, { n: -1 })).error).toMatchObject({
        status: 422,
        code: "negative",
      });
      if (a !== b) {
        // another process's bus: through the transport and the queue group
        expect(await a.requestJson(contract, { n: 5 })).toEqual({ doubled: 10 });
        expect(onTransport).toBe(1);
      }
      sub.unsubscribe();
      transportSub.unsubscribe();
      await b.flush();
      // unsubscribed: no local answer any more (and no responder at all)
      const gone = await b.requestJson(contract, { n: 1 }, { timeoutMs: 2000 }).catch((e) => e);
      expect(gone).toBeInstanceOf(BusError);
      expect(gone.code).toBe("no_responders");
    });

    test("no responders fails at once, not after the timeout", async () => {
      const t0 = Date.now();
      const err = await a.request(subj("nobody"), new Uint8Array(), { timeoutMs: 5000 }).catch((e) => e);
      expect(err).toBeInstanceOf(BusError);
      expect(err.code).toBe("no_responders");
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    test("a request times out when the responder never answers", async () => {
      const s = subj("silent");
      const sub = b.subscribe(s, () => {});
      await b.flush();
      const err = await a.request(s, new Uint8Array(), { timeoutMs: 200 }).catch((e) => e);
      expect(err.code).toBe("timeout");
      sub.unsubscribe();
    });

    test("queue group members share the work, each request handled once", async () => {
      const s = subj("queue");
      const seen = { x: 0, y: 0 };
      const sx = b.serveJson(rpc(s, z.object({ i: z.number() }), z.any()), () => (seen.x++, "x"), {
        queue: "q",
      });
      const sy = b.serveJson(rpc(s, z.object({ i: z.number() }), z.any()), () => (seen.y++, "y"), {
        queue: "q",
      });
      await b.flush();
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) => a.requestJson(rpc(s, z.any(), z.string()), { i })),
      );
      expect(replies.length).toBe(40);
      expect(seen.x + seen.y).toBe(40);
      expect(seen.x).toBeGreaterThan(0);
      expect(seen.y).toBeGreaterThan(0);
      sx.unsubscribe();
      sy.unsubscribe();
    });

    test("stream: ordered messages, then the end payload", async () => {
      const s = subj("stream");
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          const { count } = decodeJson(session.request.data) as { count: number };
          session.accept(encodeJson({ hello: true }));
          for (let i = 0; i < count; i++) await session.send(encodeJson({ i }), { "x-i": String(i) });
          return { data: encodeJson({ total: count }) };
        },
        { queue: "p" },
      );
      await b.flush();
      const reader = await a.openStream(chan(s), { count: 25 }, { credit: 3 });
      expect(decodeJson(reader.accepted.data)).toEqual({ hello: true });
      const got: number[] = [];
      for await (const m of reader) {
        expect(m.headers["x-i"]).toBe(String(m.seq));
        expect(m.headers["ke-v"]).toBe("1"); // every message carries the contract version
        got.push((decodeJson(m.data) as { i: number }).i);
      }
      expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(decodeJson(reader.end!.data)).toEqual({ total: 25 });
      sub.unsubscribe();
    });

    test("flow control: a slow reader holds the producer to the credit window", async () => {
      const s = subj("slow");
      let sent = 0;
      let maxAhead = 0;
      let consumed = 0;
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          for (let i = 0; i < 30; i++) {
            await session.send(new Uint8Array(1024));
            sent++;
            maxAhead = Math.max(maxAhead, sent - consumed);
          }
        },
        {},
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { credit: 4 });
      for await (const _ of reader) {
        consumed++;
        await sleep(5);
      }
      expect(consumed).toBe(30);
      // The producer may be at most `credit` messages ahead (+1 for the one just handed over).
      expect(maxAhead).toBeLessThanOrEqual(5);
      sub.unsubscribe();
    });

    test("cancellation: when the reader stops, the producer stops within one message", async () => {
      const s = subj("cancel");
      let producedAfterAbort = 0;
      let aborted!: () => void;
      const abortedP = new Promise<void>((r) => (aborted = r));
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          session.signal.addEventListener("abort", () => aborted());
          try {
            for (let i = 0; i < 1000; i++) {
              await session.send(new Uint8Array(16));
              if (session.signal.aborted) producedAfterAbort++;
              await sleep(2);
            }
          } catch {
            /* aborted */
          }
        },
        {},
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { credit: 2 });
      let n = 0;
      for await (const _ of reader) if (++n === 3) break;
      await Promise.race([
        abortedP,
        sleep(3000).then(() => Promise.reject(new Error("producer was not aborted"))),
      ]);
      expect(producedAfterAbort).toBeLessThanOrEqual(1);
      sub.unsubscribe();
    });

    test("an AbortSignal on the consumer side cancels the producer", async () => {
      const s = subj("abortsig");
      let abortedReason = "";
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          session.accept();
          await new Promise<void>((r) => session.signal.addEventListener("abort", () => r()));
          abortedReason = String((session.signal.reason as Error).message);
        },
        {},
      );
      await b.flush();
      const ac = new AbortController();
      const reader = await a.openStream(chan(s), {}, { signal: ac.signal });
      const it = reader[Symbol.asyncIterator]();
      const next = it.next();
      ac.abort();
      expect((await next).done).toBe(true);
      for (let i = 0; i < 100 && !abortedReason; i++) await sleep(10);
      expect(abortedReason).toContain("cancelled");
      sub.unsubscribe();
    });

    test("a producer that rejects before accepting gives the caller its error", async () => {
      const s = subj("reject");
      const sub = b.serveStream(
        chan(s),
        async () => {
          throw new AppError(400, "unknown_voice", "voice 'zz' does not exist", "voice");
        },
        {},
      );
      await b.flush();
      const err = await a.openStream(chan(s), {}).catch((e) => e);
      expect(err).toBeInstanceOf(StreamRejected);
      expect(err.error).toEqual({
        code: "unknown_voice",
        message: "voice 'zz' does not exist",
        status: 400,
        param: "voice",
      });
      sub.unsubscribe();
    });

    test("a producer that fails mid-stream ends the stream with its error", async () => {
      const s = subj("midfail");
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          await session.send(new Uint8Array(1));
          throw new AppError(503, "model_unloaded", "model went away");
        },
        {},
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {});
      const got: number[] = [];
      const err = await (async () => {
        for await (const m of reader) got.push(m.seq);
      })().catch((e) => e);
      expect(got).toEqual([0]);
      expect(err).toBeInstanceOf(StreamFailed);
      expect(err.error.code).toBe("model_unloaded");
      sub.unsubscribe();
    });

    test("a producer that dies is noticed (stream_lost with the next sequence number)", async () => {
      const s = subj("dies");
      const dying = new Severable(b.transport);
      const dyingBus = new Bus(dying);
      const sub = dyingBus.serveStream(
        chan(s),
        async (session) => {
          for (let i = 0; i < 100; i++) {
            if (i === 3) dying.severed = true; // the process is gone: no more messages, no heartbeats
            await session.send(new Uint8Array(8)).catch(() => {});
            await sleep(5);
          }
        },
        { heartbeatMs: 50 },
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { idleTimeoutMs: 400, keepaliveMs: 100 });
      const got: number[] = [];
      const err = await (async () => {
        for await (const m of reader) got.push(m.seq);
      })().catch((e) => e);
      expect(got).toEqual([0, 1, 2]);
      expect(err).toBeInstanceOf(BusError);
      expect(err.code).toBe("stream_lost");
      expect(err.details.nextSeq).toBe(3);
      sub.unsubscribe();
    });

    test("a consumer whose event loop was blocked longer than idleTimeoutMs does not call a live producer lost", async () => {
      const s = subj("stall");
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          for (let i = 0; i < 6; i++) {
            await session.send(new Uint8Array(8));
            await sleep(150);
          }
        },
        { heartbeatMs: 50 },
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { idleTimeoutMs: 400, keepaliveMs: 100, credit: 2 });
      const got: number[] = [];
      for await (const m of reader) {
        got.push(m.seq);
        if (m.seq === 1) {
          // A busy gateway: the loop is blocked (say, encoding) for three idle timeouts.
          const until = Date.now() + 1_200;
          while (Date.now() < until) {}
        }
      }
      expect(got).toEqual([0, 1, 2, 3, 4, 5]);
      sub.unsubscribe();
    });

    /** Read a stream to its failure; the sequence numbers read, the error, and when it came. */
    async function readToFailure(reader: AsyncIterable<{ seq: number }>, t0: number) {
      const got: number[] = [];
      const err = await (async () => {
        for await (const m of reader) got.push(m.seq);
      })().catch((e) => e);
      return { got, err, ms: Date.now() - t0 };
    }

    test("a producer whose connection is gone is noticed within a round of control messages (no responders), not after the idle timeout", async () => {
      const s = subj("killed");
      const victim = new Killable(b.transport);
      const sub = new Bus(victim).serveStream(
        chan(s),
        async (session) => {
          for (let i = 0; i < 100; i++) {
            if (i === 3) victim.kill();
            await session.send(new Uint8Array(8)).catch(() => {});
            await sleep(5);
          }
        },
        { heartbeatMs: 1000 },
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { idleTimeoutMs: 10_000, keepaliveMs: 100 });
      const { got, err, ms } = await readToFailure(reader, Date.now());
      expect(got).toEqual([0, 1, 2]);
      expect(err).toBeInstanceOf(BusError);
      expect(err.code).toBe("stream_lost");
      expect(err.details.by).toBe("no_responders");
      expect(err.details.nextSeq).toBe(3);
      expect(ms).toBeLessThan(1000);
      sub.unsubscribe();
    });

    test("with heartbeats asked for, a silent producer is given up after a few beats (learned from their jitter), not the idle timeout", async () => {
      const s = subj("silent");
      const dying = new Severable(b.transport);
      const sub = new Bus(dying).serveStream(
        chan(s),
        async (session) => {
          await session.send(new Uint8Array(8));
          await sleep(600); // heartbeats (every 50 ms, as asked) keep it alive meanwhile
          await session.send(new Uint8Array(8));
          dying.severed = true; // hung: its subscriptions stay, nothing more comes
          await new Promise((r) => session.signal.addEventListener("abort", r));
        },
        { heartbeatMs: 1000 },
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { idleTimeoutMs: 10_000, heartbeatMs: 50 });
      const t0 = Date.now();
      const { got, err, ms } = await readToFailure(reader, t0);
      expect(got).toEqual([0, 1]);
      expect(err.code).toBe("stream_lost");
      expect(err.details.by).toBe("silence");
      expect(ms).toBeGreaterThan(600);
      expect(ms).toBeLessThan(600 + 1000);
      sub.unsubscribe();
    });

    test("a producer that announces its death is given up at once; what it sent before is still read", async () => {
      const s = subj("gone");
      let sent!: () => void;
      const ready = new Promise<void>((r) => (sent = r));
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          await session.send(new Uint8Array(8));
          await session.send(new Uint8Array(8));
          sent();
          await new Promise((r) => session.signal.addEventListener("abort", r));
        },
        {},
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { idleTimeoutMs: 10_000, credit: 4 });
      await ready;
      await b.flush();
      const t0 = Date.now();
      expect(announceProducersGone()).toBeGreaterThanOrEqual(1); // (earlier tests may leave producers waiting for their consumer timeout)
      const { got, err, ms } = await readToFailure(reader, t0);
      expect(got).toEqual([0, 1]);
      expect(err.code).toBe("stream_lost");
      expect(err.details.by).toBe("gone");
      expect(err.details.nextSeq).toBe(2);
      expect(ms).toBeLessThan(500);
      sub.unsubscribe();
    });

    test("resume: a new stream starts where the old one stopped, nothing repeated", async () => {
      const s = subj("resume");
      const sub = b.serveStream(
        chan(s),
        async (session) => {
          for (let i = 0; i < 10; i++) await session.send(encodeJson(i));
        },
        {},
      );
      await b.flush();
      const reader = await a.openStream(chan(s), {}, { firstSeq: 0, fromSeq: 6 });
      const got: number[] = [];
      for await (const m of reader) {
        expect(decodeJson(m.data)).toBe(m.seq);
        got.push(m.seq);
      }
      expect(got).toEqual([6, 7, 8, 9]);
      sub.unsubscribe();
    });

    test("scatter-gather collects every subscriber's reply", async () => {
      const s = subj("gather");
      const subs = [1, 2, 3].map((n) => b.serveJson(rpc(s, z.any(), z.any()), () => ({ n })));
      await b.flush();
      const replies = await a.gatherJson(rpc(s, z.any(), z.object({ n: z.number() })), {}, 300);
      expect(replies.map((r) => r.n).sort()).toEqual([1, 2, 3]);
      for (const x of subs) x.unsubscribe();
    });

    test("trace context travels in headers to the handler", async () => {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      const s = subj("trace");
      let seenTrace = "";
      const sub = b.serveJson(rpc(s, z.any(), z.any()), () => {
        seenTrace = trace.getSpanContext(context.active())?.traceId ?? "";
        return "ok";
      });
      await b.flush();
      const traceId = "0af7651916cd43dd8448eb211c80319c";
      const ctx = trace.setSpanContext(context.active(), {
        traceId,
        spanId: "b7ad6b7169203331",
        traceFlags: TraceFlags.SAMPLED,
      });
      await context.with(ctx, () => a.requestJson(rpc(s, z.any(), z.any()), {}));
      expect(seenTrace).toBe(traceId);
      sub.unsubscribe();
      propagation.disable();
    });
  });
}
