import { Hono } from "hono";
import { cors } from "hono/cors";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "@kokoro-edge/runtime";
import type { GatewayDeps } from "./deps";
import { errorResponse } from "./errors";
import { authMiddleware } from "./auth/middleware";
import { parseCidrs } from "./auth/client-address";
import type { GatewayEnv } from "./env";
import { requestSpan } from "./middleware/request-span";
import { apiKeysRequired } from "./config";
import { rateLimit, streamCap } from "./limits/middleware";
import { RateLimiter } from "./limits/token-bucket";
import { MemoryLimits } from "./limits/store";
import { adminRoutes } from "./routes/admin";
import { docsRoutes } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { modelsRoutes } from "./routes/models";
import { openapiRoutes } from "./routes/openapi";
import { phonemizeRoutes } from "./routes/phonemize";
import { speechRoutes } from "./routes/speech";
import { voicesRoutes } from "./routes/voices";
import { jobsRoutes } from "./routes/jobs";
import { subtitlesRoutes } from "./routes/subtitles";
import { hubRoutes } from "./routes/hub";
import { busGuard } from "./bus-guard";
import { studioRoutes } from "./routes/studio";
import { parseSubtitlesRoutes } from "./routes/parse-subtitles";
import { projectsRoutes } from "./routes/projects";
import { isStreamInputPath, realtimeRoutes } from "./realtime/routes";

/** Routes that cannot answer without the message bus (g2p, synth). */
export const BUS_ROUTES = ["/v1/audio/*", "/v1/voices", "/v1/voices/*"];

/** Routes that stream audio: each response holds one of the caller's stream slots until it ends. */
export const STREAMING_ROUTES = ["/v1/audio/speech", "/v1/audio/subtitles"];

export type { GatewayEnv } from "./env";

/** The gateway's HTTP API as a Hono app (no server: `fetch` it in tests). */
export function createApp(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  const keysRequired = apiKeysRequired(deps.config);
  if (keysRequired && !deps.keys)
    throw new Error(
      "API keys are required (API_KEYS_REQUIRED, or NATS_URL/DATABASE_URL set) but the gateway has no database to check them against",
    );
  deps.limiter ??= new RateLimiter();
  deps.limits ??= new MemoryLimits();
  const origins = deps.config.CORS_ORIGINS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

  // One server span per request (the runtime's server is not auto-instrumented), its id and the client's address.
  app.use("*", requestSpan(deps.metrics, parseCidrs(deps.config.TRUSTED_PROXIES)));
  app.use(
    "*",
    cors({
      origin: origins.includes("*") ? "*" : origins,
      exposeHeaders: [
        "x-request-id",
        "x-kokoro-engine",
        "x-kokoro-model",
        "x-kokoro-model-version",
        "x-kokoro-voice",
        "x-kokoro-cache",
      ],
    }),
  );
  // Who is calling (API key, or client IP in open mode), then their request rate.
  app.use(
    "/v1/*",
    authMiddleware({
      required: keysRequired,
      keys: deps.keys,
      failures: deps.limiter,
      keyLater: isStreamInputPath,
    }),
    rateLimit(deps.config, deps.limits),
  );
  const limitBody = bodyLimit({
    maxSize: deps.config.MAX_BODY_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        new AppError(
          413,
          "body_too_large",
          `request body is larger than ${deps.config.MAX_BODY_BYTES} bytes`,
        ),
      ),
  });
  app.use("/v1/*", limitBody);
  app.use("/admin/*", limitBody);
  const usage = deps.usage;
  const hooks = usage
    ? { begin: usage.begin.bind(usage), respond: usage.respond.bind(usage), end: usage.end.bind(usage) }
    : {};
  for (const path of STREAMING_ROUTES) app.use(path, streamCap(deps.config, deps.limits, hooks));
  // Routes that need the bus answer 503 at once while it is down (jobs and keys need only the database).
  for (const path of BUS_ROUTES) app.use(path, busGuard(deps.bus));

  // One module per concern.
  app.route("/", healthRoutes(deps));
  app.route("/", openapiRoutes(deps));
  app.route("/", docsRoutes());
  app.route("/", studioRoutes());
  app.route("/", adminRoutes(deps));
  app.route("/", speechRoutes(deps));
  app.route("/", phonemizeRoutes(deps));
  app.route("/", voicesRoutes(deps));
  app.route("/", modelsRoutes());
  app.route("/", subtitlesRoutes(deps));
  app.route("/", parseSubtitlesRoutes());
  app.route("/", projectsRoutes(deps));
  app.route("/", jobsRoutes(deps));
  app.route("/", realtimeRoutes(deps));
  if (deps.hub) app.route("/", hubRoutes(deps.hub));

  app.notFound((c) =>
    errorResponse(c, new AppError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((err, c) => {
    if (c.req.raw.signal?.aborted) {
      // the client left before the response: whatever broke off is a cancellation, not a server error
      deps.log.info("client went away before the response", {
        path: c.req.path,
        request_id: c.get("requestId"),
        error: err.message,
      });
      return errorResponse(c, new AppError(499, "client_closed_request", "the client closed the request"));
    }
    if (!(err instanceof AppError) || err.status >= 500) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      deps.log.error("request failed", {
        path: c.req.path,
        request_id: c.get("requestId"),
        error: err.message,
        ...(cause ? { cause } : {}),
        stack: err instanceof AppError ? undefined : err.stack,
      });
    }
    return errorResponse(c, err);
  });
  return app;
}
