/**
 * The edge path: a gateway that reaches NATS over WebSocket only. A private
 * nats-server (started here, with a `websocket {}` listener beside the TCP
 * one that asks for a token, as the cluster's does) carries the bus; the
 * gateway runs on Deno with NATS_URL=ws://TOKEN@...,
 * g2p, synth and the mirror on Bun over TCP, and speech still decodes token
 * for token.
 */
import { expect, test } from "bun:test";
import { startPrivateNats } from "@kokoro-edge/runtime/src/testing/nats-server";
import { distributedSuite } from "./distributed.suite";

let monitorUrl = "";

await distributedSuite(
  "edge: gateway on Deno over NATS WebSocket, g2p, synth and mirror on Bun over TCP",
  { gateway: "deno", g2p: "bun", synth: "bun", mirror: "bun" },
  {
    async nats() {
      const token = crypto.randomUUID();
      const nats = await startPrivateNats({ wsToken: token });
      monitorUrl = nats.monitorUrl;
      return { url: nats.url, gatewayUrl: nats.wsUrl.replace("ws://", `ws://${token}@`), stop: nats.stop };
    },
    more(stack) {
      test("nats-server sees the gateway as a WebSocket client and the other services over TCP", async () => {
        expect(stack().procs.find((p) => p.name === "gateway")!.runtime).toBe("deno");
        const connz = (await (await fetch(`${monitorUrl}/connz`)).json()) as {
          connections: { name?: string; type?: string }[];
        };
        const byName = Object.fromEntries(
          connz.connections
            .filter((c) => c.name && c.name !== "e2e-test")
            .map((c) => [c.name, c.type ?? "nats"]),
        );
        expect(byName).toEqual({ gateway: "websocket", g2p: "nats", synth: "nats", "model-mirror": "nats" });
      });
    },
  },
);
