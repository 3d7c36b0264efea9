import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context } from "@opentelemetry/api";
import { BusError, MemoryTransport, NatsTransport } from "../src/bus";
import { natsVia } from "../src/bus/nats-connect";
import { afterAll, describe, expect, test } from "bun:test";
import { startPrivateNats } from "../src/testing/nats-server";
import { TEST_NATS_URL, haveNats } from "../src/testing/services";
import { busSuite } from "./bus.suite";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

busSuite("in-process", async () => {
  const t = new MemoryTransport();
  return [t, t];
});

if (await haveNats()) {
  busSuite("NATS", async () => [await NatsTransport.connect(TEST_NATS_URL, "test-a"), await NatsTransport.connect(TEST_NATS_URL, "test-b")]);
}

// The edge path: the same suite over nats.js's WebSocket connection (NATS_URL=ws://...),
// against a private nats-server with a websocket listener.
const edge = await startPrivateNats();
afterAll(() => edge.stop());
busSuite("NATS over WebSocket", async () => {
  const [a, b] = [await NatsTransport.connect(edge.wsUrl, "test-ws-a"), await NatsTransport.connect(edge.wsUrl, "test-ws-b")];
  expect([a.via, b.via]).toEqual(["websocket", "websocket"]);
  return [a, b];
});

describe("choosing the NATS transport from NATS_URL", () => {
  test("nats:// and host:port are TCP, ws:// and wss:// are WebSocket, a mix is refused", () => {
    expect(natsVia(["nats://a:4222", "b:4222"])).toBe("tcp");
    expect(natsVia(["ws://a:8080", "WSS://b"])).toBe("websocket");
    expect(() => natsVia(["ws://a:8080", "nats://b:4222"])).toThrow("NATS_URL mixes WebSocket (ws://, wss://) and TCP servers");
  });

  test("one process holds one kind at a time (nats.js keeps the transport per process)", async () => {
    const ws = await NatsTransport.connect(edge.wsUrl, "test-ws-only");
    try {
      const err = await NatsTransport.connect(edge.url, "test-tcp-too").catch((e: Error) => e);
      expect(err).toBeInstanceOf(BusError);
      expect((err as Error).message).toContain("already has a NATS connection over WebSocket; nats.js uses one transport per process");
    } finally {
      await ws.close();
    }
    const tcp = await NatsTransport.connect(edge.url, "test-tcp-after");
    expect(tcp.via).toBe("tcp");
    await tcp.close();
  });

  test("a WebSocket URL pointed at the TCP port fails with the URL in the message", async () => {
    const err = await NatsTransport.connect(edge.url.replace("nats://", "ws://"), "test-wrong-port").catch((e: Error) => e);
    expect(err).toBeInstanceOf(BusError);
    expect((err as Error).message).toStartWith(`cannot connect to NATS at ${edge.url.replace("nats://", "ws://")}: `);
  });
});
