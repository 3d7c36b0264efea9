/**
 * Where per-caller limits are kept. A gateway alone (the one-process setup)
 * keeps them in memory; replicas sharing a Postgres keep them there, so a
 * key's 300 requests a minute and 8 streams hold for the fleet, not per pod
 * (see postgres-store.ts). Either way the middleware sees this interface.
 */
import { RateLimiter, StreamSlots, type Take } from "./token-bucket";

export interface LimitStore {
  /** Take one request token for `caller` (rpm 0 = unlimited). */
  take(caller: string, rpm: number): Promise<Take>;
  /** A stream slot if `caller` has fewer than `max` (0 = unlimited); release it exactly once. */
  acquireSlot(caller: string, max: number): Promise<(() => void) | undefined>;
  /** Streams `caller` has in progress. */
  activeSlots(caller: string): Promise<number>;
  /** `shared`, or why not: `memory` (a single gateway) or `memory-fallback` (the shared store is unreachable). */
  mode(): "shared" | "memory" | "memory-fallback";
  stop(): Promise<void>;
}

/** Limits in this process's memory. */
export class MemoryLimits implements LimitStore {
  constructor(
    readonly buckets = new RateLimiter(),
    readonly slots = new StreamSlots(),
    private readonly now: () => number = Date.now,
  ) {}
  async take(caller: string, rpm: number) {
    return this.buckets.take(caller, rpm, this.now());
  }
  async acquireSlot(caller: string, max: number) {
    return this.slots.acquire(caller, max);
  }
  async activeSlots(caller: string) {
    return this.slots.active(caller);
  }
  mode() {
    return "memory" as const;
  }
  async stop() {}
}
