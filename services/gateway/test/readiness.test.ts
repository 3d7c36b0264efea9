/**
 * /readyz across a bus reconnect. A replica that misses one status ping still
 * counts for a grace period (it may be busy), but what was heard before the
 * gateway's own bus connection came back is stale: the replica may not have
 * reconnected yet, and a speech request would find nobody to answer it.
 */
import { describe, expect, test } from "bun:test";
import { contracts, type ServiceStatus } from "@kokoro-edge/proto";
import { Bus, MemoryTransport } from "@kokoro-edge/runtime";
import { readiness } from "../src/routes/health";
import { GatewayMetrics } from "../src/metrics";
import type { GatewayDeps } from "../src/deps";

/** The in-process transport, with a reconnect that can be played. */
class Reconnecting extends MemoryTransport {
  private since = Date.now() - 60_000;
  reconnect() {
    this.since = Date.now();
  }
  override connectedSince() {
    return this.since;
  }
}

const status = (service: "g2p" | "synth", instance: string): ServiceStatus => ({
  v: 1,
  service,
  instance,
  ready: true,
  detail: "ok",
});

describe("readiness across a bus reconnect", () => {
  test("a replica heard before the reconnect no longer counts; heard again, it does", async () => {
    const transport = new Reconnecting();
    const bus = new Bus(transport);
    const deps = { bus, metrics: new GatewayMetrics() } as unknown as GatewayDeps;
    bus.serveJson(contracts.synth.status, () => status("synth", "synth-1"));
    const g2p = bus.serveJson(contracts.g2p.status, () => status("g2p", "g2p-1"));

    expect((await readiness(deps)).ready).toBe(true);

    // g2p misses a ping (busy, say): within the grace period it still counts
    g2p.unsubscribe();
    const busy = await readiness(deps);
    expect(busy.ready).toBe(true);
    expect(busy.checks.g2p!.detail).toContain("g2p-1");

    // the gateway's connection came back; g2p has not answered since
    transport.reconnect();
    const stale = await readiness(deps);
    expect(stale.ready).toBe(false);
    expect(stale.detail).toContain("no g2p replica is running");
    // synth answered after the reconnect: it counts
    expect(stale.checks.synth!.ok).toBe(true);

    bus.serveJson(contracts.g2p.status, () => status("g2p", "g2p-1"));
    expect((await readiness(deps)).ready).toBe(true);
    await bus.close();
  });
});
