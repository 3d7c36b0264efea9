/**
 * Token buckets per caller: `rpm` requests a minute on average, bursts up to
 * `rpm`. Pure logic; the clock is passed in.
 */
export interface Take {
  ok: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until a request would be allowed (0 when ok). */
  retryAfterS: number;
}

interface Bucket {
  tokens: number;
  at: number;
  rpm: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  constructor(private readonly maxBuckets = 100_000) {}

  /** Take one token for `id` at time `nowMs`; rpm 0 = unlimited. */
  take(id: string, rpm: number, nowMs: number): Take {
    if (rpm <= 0) return { ok: true, remaining: Infinity, retryAfterS: 0 };
    const perMs = rpm / 60_000;
    let b = this.buckets.get(id);
    if (!b || b.rpm !== rpm) {
      b = { tokens: b ? Math.min(b.tokens, rpm) : rpm, at: nowMs, rpm };
      if (!this.buckets.has(id) && this.buckets.size >= this.maxBuckets) this.sweep(nowMs);
      this.buckets.set(id, b);
    }
    b.tokens = Math.min(rpm, b.tokens + Math.max(0, nowMs - b.at) * perMs);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens), retryAfterS: 0 };
    }
    return { ok: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  }

  /** Whether `id` has a whole token now, without taking it (retryAfterS says how long until it has). */
  peek(id: string, rpm: number, nowMs: number): Take {
    if (rpm <= 0) return { ok: true, remaining: Infinity, retryAfterS: 0 };
    const b = this.buckets.get(id);
    if (!b) return { ok: true, remaining: rpm, retryAfterS: 0 };
    const perMs = rpm / 60_000;
    const tokens = Math.min(rpm, b.tokens + Math.max(0, nowMs - b.at) * perMs);
    return tokens >= 1
      ? { ok: true, remaining: Math.floor(tokens), retryAfterS: 0 }
      : { ok: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
  }

  /** Drop buckets that have refilled completely (they hold no state worth keeping). */
  sweep(nowMs: number) {
    for (const [id, b] of this.buckets)
      if (b.tokens + (nowMs - b.at) * (b.rpm / 60_000) >= b.rpm) this.buckets.delete(id);
    if (this.buckets.size >= this.maxBuckets) this.buckets.clear();
  }

  get size() {
    return this.buckets.size;
  }
}

/** Concurrent streams per caller. */
export class StreamSlots {
  private counts = new Map<string, number>();

  /** A slot for `id` if it has fewer than `max` (0 = unlimited); release it exactly once. */
  acquire(id: string, max: number): (() => void) | undefined {
    const n = this.counts.get(id) ?? 0;
    if (max > 0 && n >= max) return undefined;
    this.counts.set(id, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(id) ?? 1) - 1;
      if (left <= 0) this.counts.delete(id);
      else this.counts.set(id, left);
    };
  }

  active(id: string): number {
    return this.counts.get(id) ?? 0;
  }
}
