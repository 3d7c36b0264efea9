/**
 * A request that reaches a service while its bus is closing must not crash
 * the process (issue 20, finding 1's audit): a NATS connection that drains
 * still delivers the messages it holds, but refuses new subscriptions, so a
 * stream producer's control subscription throws inside a promise nobody awaits.
 */
import { expect, test } from "bun:test";
import {
  BusError,
  MemoryTransport,
  openStream,
  serveStream,
  type Msg,
  type SubscribeOptions,
} from "../src/bus";

/** The in-process bus, except that once `closing` is set new subscriptions throw, as nats.js's do while it drains. */
class DrainingTransport extends MemoryTransport {
  closing = false;
  override subscribe(subject: string, handler: (msg: Msg) => void, opts?: SubscribeOptions) {
    if (this.closing) throw new BusError("closed", "connection draining");
    return super.subscribe(subject, handler, opts);
  }
}

test("a stream request delivered while the bus drains is dropped, not an unhandled rejection", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const bus = new DrainingTransport();
    let handled = 0;
    serveStream(bus, "svc.stream", {}, async (session) => {
      handled++;
      await session.send(new Uint8Array([1]));
    });
    // The consumer has subscribed its inbox and sent the request; the producer gets it after the drain began.
    const opened = openStream(bus, "svc.stream", new Uint8Array(0), { acceptTimeoutMs: 300 });
    bus.closing = true;
    await expect(opened).rejects.toThrow(); // nobody could answer: the consumer's own timeout says so
    await Bun.sleep(50);
    expect(handled).toBe(0);
    expect(unhandled.map(String)).toEqual([]);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
