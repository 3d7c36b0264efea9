import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context } from "@opentelemetry/api";
import { BusError, MemoryTransport, NatsTransport } from "../src/bus";
import { natsServers, natsVia, redactNatsUrl } from "../src/bus/nats-connect";
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
  busSuite("NATS", async () => [
    await NatsTransport.connect(TEST_NATS_URL, "test-a"),
    await NatsTransport.connect(TEST_NATS_URL, "test-b"),
  ]);
}

// The edge path: the same suite over nats.js's WebSocket connection (NATS_URL=ws://TOKEN@...),
// against a private nats-server whose websocket listener asks for a token, as the cluster's does.
const TOKEN = "edge-token-for-tests";
const edge = await startPrivateNats({ wsToken: TOKEN });
const wsWithToken = edge.wsUrl.replace("ws://", `ws://${TOKEN}@`);
afterAll(() => edge.stop());
busSuite("NATS over WebSocket", async () => {
  const [a, b] = [
    await NatsTransport.connect(wsWithToken, "test-ws-a"),
    await NatsTransport.connect(wsWithToken, "test-ws-b"),
  ];
  expect([a.via, b.via]).toEqual(["websocket", "websocket"]);
  return [a, b];
});

describe("choosing the NATS transport from NATS_URL", () => {
  test("nats:// and host:port are TCP, ws:// and wss:// are WebSocket, a mix is refused", () => {
    expect(natsVia(["nats://a:4222", "b:4222"])).toBe("tcp");
    expect(natsVia(["ws://a:8080", "WSS://b"])).toBe("websocket");
    expect(() => natsVia(["ws://a:8080", "nats://b:4222"])).toThrow(
      "NATS_URL mixes WebSocket (ws://, wss://) and TCP servers",
    );
  });

  test("credentials in the URL, as nats.go reads them: TOKEN@ or USER:PASSWORD@, one set, redacted in messages", () => {
    expect(natsServers("wss://s3cret@nats.example.com")).toEqual({
      servers: ["wss://nats.example.com"],
      auth: { token: "s3cret" },
    });
    expect(natsServers("nats://ke:p%40ss:word@a:4222,nats://ke:p%40ss:word@b:4222")).toEqual({
      servers: ["nats://a:4222", "nats://b:4222"],
      auth: { user: "ke", pass: "p@ss:word" },
    });
    expect(natsServers("nats://a:4222,b:4222")).toEqual({ servers: ["nats://a:4222", "b:4222"], auth: {} });
    expect(() => natsServers("ws://one@a:80,ws://two@b:80")).toThrow(
      "NATS_URL gives different credentials for ws://***@a:80 and ws://***@b:80: give one set",
    );
    expect(redactNatsUrl("wss://s3cret@nats.example.com,wss://u:p@other:443")).toBe(
      "wss://***@nats.example.com,wss://***@other:443",
    );
  });

  test("the WebSocket listener refuses a missing or wrong token, and the message does not show it", async () => {
    for (const url of [edge.wsUrl, edge.wsUrl.replace("ws://", "ws://not-the-token@")]) {
      const err = await NatsTransport.connect(url, "test-ws-no-token").catch((e: Error) => e);
      expect(err).toBeInstanceOf(BusError);
      expect((err as Error).message).toStartWith(`cannot connect to NATS at ${redactNatsUrl(url)}: `);
      expect((err as Error).message).toContain("Authorization Violation");
      expect((err as Error).message).not.toContain("not-the-token");
    }
  });

  test("one process holds one kind at a time (nats.js keeps the transport per process)", async () => {
    const ws = await NatsTransport.connect(wsWithToken, "test-ws-only");
    try {
      const err = await NatsTransport.connect(edge.url, "test-tcp-too").catch((e: Error) => e);
      expect(err).toBeInstanceOf(BusError);
      expect((err as Error).message).toContain(
        "already has a NATS connection over WebSocket; nats.js uses one transport per process",
      );
    } finally {
      await ws.close();
    }
    const tcp = await NatsTransport.connect(edge.url, "test-tcp-after");
    expect(tcp.via).toBe("tcp");
    await tcp.close();
  });

  test("a WebSocket URL pointed at the TCP port fails with the URL in the message", async () => {
    const err = await NatsTransport.connect(edge.url.replace("nats://", "ws://"), "test-wrong-port").catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(BusError);
    expect((err as Error).message).toStartWith(
      `cannot connect to NATS at ${edge.url.replace("nats://", "ws://")}: `,
    );
  });
});
