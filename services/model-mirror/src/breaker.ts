/**
 * Per-upstream circuit breaker: after `threshold` consecutive failures the
 * upstream is skipped for a cooldown that doubles on each trip (capped), then
 * one trial request is let through. A Retry-After from the upstream also keeps
 * it out until that time.
 */
export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  maxCooldownMs?: number;
  now?: () => number;
}

interface State {
  failures: number;
  trips: number;
  openUntil: number;
  notBefore: number;
  lastError?: string;
}

export class CircuitBreakers {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;
  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  private state(name: string): State {
    let s = this.states.get(name);
    if (!s) this.states.set(name, (s = { failures: 0, trips: 0, openUntil: 0, notBefore: 0 }));
    return s;
  }

  /** Milliseconds until the upstream may be tried again; 0 = now. */
  waitMs(name: string): number {
    const s = this.state(name);
    return Math.max(0, s.openUntil - this.now(), s.notBefore - this.now());
  }

  available(name: string): boolean {
    return this.waitMs(name) === 0;
  }

  isOpen(name: string): boolean {
    return this.state(name).openUntil > this.now();
  }

  success(name: string) {
    const s = this.state(name);
    s.failures = 0;
    s.trips = 0;
    s.openUntil = 0;
    s.lastError = undefined;
  }

  /** Returns true when this failure opened the breaker. */
  failure(name: string, error: string, retryAfterMs?: number): boolean {
    const s = this.state(name);
    s.failures++;
    s.lastError = error;
    if (retryAfterMs !== undefined) s.notBefore = Math.max(s.notBefore, this.now() + retryAfterMs);
    if (s.failures >= this.opts.threshold) {
      s.trips++;
      const cooldown = Math.min(
        this.opts.cooldownMs * 2 ** (s.trips - 1),
        this.opts.maxCooldownMs ?? this.opts.cooldownMs * 16,
      );
      s.openUntil = this.now() + cooldown;
      s.failures = this.opts.threshold - 1; // half-open: one more failure re-opens
      return true;
    }
    return false;
  }

  snapshot(): Record<string, { open: boolean; wait_ms: number; last_error?: string }> {
    const out: Record<string, { open: boolean; wait_ms: number; last_error?: string }> = {};
    for (const [name, s] of this.states)
      out[name] = {
        open: this.isOpen(name),
        wait_ms: this.waitMs(name),
        ...(s.lastError ? { last_error: s.lastError } : {}),
      };
    return out;
  }
}
