/**
 * While the message bus is down, requests that need it fail at once with a
 * 503 and Retry-After instead of waiting out a 30 s g2p timeout (issue 20,
 * finding 9). Streams already running are not touched: they resume as the
 * bus comes back, as they do after a synth replica's death.
 */
import type { MiddlewareHandler } from "hono";
import { AppError, type Bus } from "@kokoro-edge/runtime";
import { errorResponse } from "./errors";

/** Seconds a client is told to wait: the NATS client retries every 500 ms. */
export const BUS_RETRY_AFTER_S = 2;

export function busGuard(bus: Bus): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS" || bus.isConnected()) return next();
    return errorResponse(
      c,
      new AppError(
        503,
        "bus_unavailable",
        `the message bus (NATS) is unreachable, so speech cannot be made right now; retry in ${BUS_RETRY_AFTER_S} s`,
      ),
      {
        "retry-after": String(BUS_RETRY_AFTER_S),
      },
    );
  };
}
