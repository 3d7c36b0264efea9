/**
 * Per-caller limits: a request rate (token bucket, 429 + Retry-After) on every
 * /v1 route, and a cap on concurrent streams on the streaming routes. A stream
 * holds its slot until its body is finished, fails or is cancelled.
 */
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import type { Caller } from "../auth/caller";
import { errorResponse } from "../errors";
import type { LimitStore } from "./store";

export interface LimitsConfig {
  RATE_LIMIT_RPM: number;
  MAX_STREAMS_PER_KEY: number;
}

function callerOf(c: Context): Caller {
  return (c.get("caller") as Caller | undefined) ?? { id: "ip:unknown" };
}

export function rateLimit(config: LimitsConfig, limits: LimitStore): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const caller = callerOf(c);
    const rpm = caller.key?.rateLimitPerMinute ?? config.RATE_LIMIT_RPM;
    const t = await limits.take(caller.id, rpm);
    if (rpm > 0) {
      c.header("x-ratelimit-limit-requests", String(rpm));
      c.header("x-ratelimit-remaining-requests", String(t.remaining));
    }
    if (!t.ok) {
      const who = caller.key ? `API key '${caller.key.name}'` : "this client";
      return errorResponse(
        c,
        new AppError(
          429,
          "rate_limit_exceeded",
          `${who} is limited to ${rpm} requests per minute; retry in ${t.retryAfterS} s`,
        ),
        {
          "retry-after": String(t.retryAfterS),
        },
      );
    }
    await next();
  };
}

/** Hooks to follow a stream's life (usage recording). */
export interface StreamHooks {
  begin?(requestId: string, caller: Caller): void;
  /** The response is known (status, headers); the body may still be flowing. */
  respond?(requestId: string, res: Response): void;
  end?(requestId: string): void;
}

export function streamCap(
  config: LimitsConfig,
  limits: LimitStore,
  hooks: StreamHooks = {},
): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const caller = callerOf(c);
    const max = caller.key?.maxStreams ?? config.MAX_STREAMS_PER_KEY;
    const release = await limits.acquireSlot(caller.id, max);
    if (!release) {
      const who = caller.key ? `API key '${caller.key.name}'` : "this client";
      return errorResponse(
        c,
        new AppError(
          429,
          "too_many_streams",
          `${who} already has ${max} stream(s) in progress (the limit); retry when one ends`,
        ),
        {
          "retry-after": "1",
        },
      );
    }
    const requestId = c.get("requestId") as string;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      release();
      hooks.end?.(requestId);
    };
    hooks.begin?.(requestId, caller);
    c.req.raw.signal?.addEventListener("abort", end, { once: true });
    let handedOver = false;
    try {
      await next();
      const res = c.res;
      hooks.respond?.(requestId, res);
      if (res.ok && res.body) {
        c.res = new Response(guarded(res.body, end), res);
        handedOver = true;
      }
    } finally {
      if (!handedOver) end();
    }
  };
}

/** The same bytes, pulled one by one; `onEnd` runs once when the body is done, fails or is cancelled. */
function guarded(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const r = await reader.read();
          if (r.done) {
            controller.close();
            onEnd();
          } else controller.enqueue(r.value);
        } catch (err) {
          onEnd();
          controller.error(err);
        }
      },
      async cancel(reason) {
        onEnd();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
