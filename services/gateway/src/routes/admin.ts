/**
 * /admin/keys: create, list and revoke API keys. Protected by ADMIN_TOKEN
 * (`Authorization: Bearer <ADMIN_TOKEN>`); without it the admin routes are off (404).
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { AppError, type Bus } from "@kokoro-edge/runtime";
import { contracts } from "@kokoro-edge/proto";
import { createKey, listKeys, revokeKey } from "../auth/keys";
import { bearerToken } from "../auth/middleware";
import { clientAddress } from "../middleware/request-span";
import { tooManyFailures } from "../errors";
import type { GatewayDeps } from "../deps";
import { CreateApiKeyRequest } from "../openapi/schemas";
import { readJson, validate } from "./read-json";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Wrong admin tokens a client may send per minute; past that it waits, whatever it sends. */
export const ADMIN_FAILURES_PER_MINUTE = 10;

function adminGuard(deps: GatewayDeps): MiddlewareHandler {
  const expected = deps.config.ADMIN_TOKEN ? digest(deps.config.ADMIN_TOKEN) : undefined;
  return async (c, next) => {
    if (!expected)
      throw new AppError(
        404,
        "admin_disabled",
        "admin routes are disabled: set ADMIN_TOKEN on the gateway to enable them",
      );
    const token = bearerToken(c);
    if (!token) throw new AppError(401, "missing_admin_token", "send 'Authorization: Bearer <ADMIN_TOKEN>'");
    // One secret guards every key: a client that keeps guessing it is not even compared any more
    // until its budget refills (a guess then learns nothing).
    const failId = `adminfail:${clientAddress(c)}`;
    const budget = deps.limiter?.peek(failId, ADMIN_FAILURES_PER_MINUTE, Date.now());
    if (budget && !budget.ok) {
      return tooManyFailures(
        c,
        "too_many_admin_failures",
        "too many wrong admin tokens from this client",
        budget.retryAfterS,
      );
    }
    if (!timingSafeEqual(digest(token), expected)) {
      deps.limiter?.take(failId, ADMIN_FAILURES_PER_MINUTE, Date.now());
      throw new AppError(403, "invalid_admin_token", "the admin token is wrong");
    }
    if (!deps.db)
      throw new AppError(503, "no_database", "the gateway has no database; API keys cannot be managed");
    await next();
  };
}

/** Tell every gateway a key was revoked (best effort: their caches expire in seconds anyway). */
export function publishRevocation(bus: Bus, id: string) {
  try {
    bus.publishEvent(contracts.keys.revoked, { v: 1, id });
  } catch {
    /* the bus is down: the 5 s cache lifetime bounds it */
  }
}

export function adminRoutes(deps: GatewayDeps) {
  const app = new Hono();
  app.use("/admin/*", adminGuard(deps));
  app.get("/admin/keys", async (c) => {
    const includeRevoked = ["1", "true", "yes"].includes(
      (c.req.query("include_revoked") ?? "").toLowerCase(),
    );
    return c.json({ object: "list", data: await listKeys(deps.db!.db, { includeRevoked }) });
  });
  app.post("/admin/keys", async (c) => {
    const req = validate(CreateApiKeyRequest, await readJson(c));
    const key = await createKey(deps.db!.db, {
      name: req.name,
      rateLimitPerMinute: req.rate_limit_per_minute,
      maxStreams: req.max_streams,
    });
    deps.log.info("API key created", { id: key.id, name: key.name, prefix: key.prefix });
    return c.json(key, 201);
  });
  app.delete("/admin/keys/:ref", async (c) => {
    const key = await revokeKey(deps.db!.db, c.req.param("ref"));
    deps.keys?.evict(key.id);
    publishRevocation(deps.bus, key.id); // every other gateway forgets it too, now rather than in 5 s
    deps.log.info("API key revoked", { id: key.id, name: key.name, prefix: key.prefix });
    return c.json(key);
  });
  return app;
}
