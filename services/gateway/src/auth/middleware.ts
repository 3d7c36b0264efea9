/**
 * Who is calling: `Authorization: Bearer <key>` checked against the api_keys
 * table (by hash, cached briefly). With keys required, a request without a
 * live key is a 401. In open mode any token is accepted, but a live key still
 * identifies its owner (for limits and usage); others are known by client IP.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Caller, CallerVariables } from "./caller";
import { clientAddress } from "../middleware/request-span";
import type { RequestVariables } from "../middleware/request-span";
import { AppError, withDeadline, type Db } from "@kokoro-edge/runtime";
import { tooManyFailures } from "../errors";
import type { RateLimiter } from "../limits/token-bucket";
import { findKey, hashKey, type KeyIdentity } from "./keys";

/** Wrong keys a client address may send per minute; past that its wrong keys get 429, never its valid ones. */
export const AUTH_FAILURES_PER_MINUTE = 30;

/** How long a key lookup is trusted (revocations through /admin apply at once). */
const CACHE_MS = 5_000;
/** How long a key lookup may take before the request is told the database is unreachable. */
const LOOKUP_TIMEOUT_MS = 2_000;

/** How long a wrong key is remembered as wrong: sending it again costs no database lookup. */
const NEGATIVE_CACHE_MS = 60_000;
const CACHE_MAX = 10_000;

export class KeyCache {
  private entries = new Map<string, { key: KeyIdentity | undefined; at: number }>();
  constructor(private readonly db: Db) {}

  async lookup(secret: string): Promise<KeyIdentity | undefined> {
    const hash = hashKey(secret);
    const hit = this.entries.get(hash);
    if (hit && performance.now() - hit.at < (hit.key ? CACHE_MS : NEGATIVE_CACHE_MS)) return hit.key;
    let key: KeyIdentity | undefined;
    try {
      // a database that does not answer is a 503 in seconds, not when the driver gives up
      key = await withDeadline(findKey(this.db, secret), LOOKUP_TIMEOUT_MS);
    } catch (err) {
      // the database's message stays in the log (it can hold the query): the client learns what to do
      throw Object.assign(
        new AppError(
          503,
          "auth_unavailable",
          "API keys cannot be checked right now: the database is unreachable; retry shortly",
        ),
        { cause: err },
      );
    }
    if (this.entries.size >= CACHE_MAX) this.entries.clear();
    this.entries.set(hash, { key, at: performance.now() });
    return key;
  }

  /** A live key already looked up recently (no database query). */
  cachedLive(secret: string): KeyIdentity | undefined {
    const hit = this.entries.get(hashKey(secret));
    return hit && performance.now() - hit.at < CACHE_MS ? hit.key : undefined;
  }

  /** Forget every cached lookup (after a revocation). */
  clear() {
    this.entries.clear();
  }

  /** Forget the cached lookups of one key (revoked on this or another gateway). */
  evict(id: string) {
    for (const [hash, e] of this.entries) if (e.key?.id === id) this.entries.delete(hash);
  }
}

/**
 * The API key of a request, if any: `Authorization: Bearer x` (or Deepgram's
 * `Token x`), `x-api-key` (or ElevenLabs' `xi-api-key`), or on a WebSocket
 * handshake the `Sec-WebSocket-Protocol: token, x` a browser can send.
 */
export function bearerToken(c: Context): string | undefined {
  const auth = c.req.header("authorization");
  if (auth) {
    const m = /^\s*(?:bearer|token)\s+(\S+)\s*$/i.exec(auth);
    return m?.[1];
  }
  const header = c.req.header("x-api-key")?.trim() || c.req.header("xi-api-key")?.trim();
  if (header) return header;
  const protocols = c.req
    .header("sec-websocket-protocol")
    ?.split(",")
    .map((p) => p.trim());
  if (protocols && protocols.length >= 2 && ["token", "bearer"].includes(protocols[0]!.toLowerCase()))
    return protocols[1] || undefined;
  return undefined;
}

export function authMiddleware(opts: {
  required: boolean;
  keys?: KeyCache;
  failures?: RateLimiter;
  now?: () => number;
  keyLater?: (path: string) => boolean;
}): MiddlewareHandler<{ Variables: CallerVariables & RequestVariables }> {
  const now = opts.now ?? Date.now;
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next(); // CORS preflight carries no credentials
    const token = bearerToken(c);
    let key: KeyIdentity | undefined;
    if (opts.required && !token && !c.req.header("authorization") && opts.keyLater?.(c.req.path)) {
      c.set("caller", { id: `ip:${clientAddress(c)}`, keyPending: true } satisfies Caller);
      return next();
    }
    if (opts.required) {
      if (!token) {
        if (c.req.header("authorization"))
          throw new AppError(
            401,
            "invalid_authorization",
            "the Authorization header must be 'Bearer <key>' (or 'Token <key>')",
          );
        throw new AppError(
          401,
          "missing_api_key",
          "this server requires an API key: send 'Authorization: Bearer <key>'",
        );
      }
      // A valid key always passes, whatever else came from its address (behind a proxy every client
      // shares one). What is throttled is the failing credential (a wrong key is remembered, so sending
      // it again costs no database lookup) and the failing client (past its budget, its wrong keys get
      // 429 instead of 401). Keys are 192-bit random: the budget is about load, not guessing.
      key = await opts.keys!.lookup(token);
      if (!key) {
        const t = opts.failures?.take(`authfail:${clientAddress(c)}`, AUTH_FAILURES_PER_MINUTE, now());
        if (t && !t.ok) {
          return tooManyFailures(
            c,
            "too_many_auth_failures",
            "too many wrong API keys from this client",
            t.retryAfterS,
          );
        }
        throw new AppError(401, "invalid_api_key", "the API key is not valid (unknown or revoked)");
      }
    } else if (token && opts.keys && token.length < 200) {
      key = await opts.keys.lookup(token).catch(() => undefined);
    }
    const caller: Caller = key ? { key, id: `key:${key.id}` } : { id: `ip:${clientAddress(c)}` };
    c.set("caller", caller);
    await next();
  };
}
