/** GET /openapi.json: the OpenAPI 3.1 document, generated once from the zod schemas; GET /asyncapi.json: the realtime sockets. */
import { Hono } from "hono";
import { apiKeysRequired } from "../config";
import type { GatewayDeps } from "../deps";
import { openApiDocument } from "../openapi/document";
import { asyncApiDocument } from "../openapi/asyncapi";

export function openapiRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const opts = { keysRequired: apiKeysRequired(deps.config), maxInputChars: deps.config.MAX_INPUT_CHARS };
  serveOnce(app, "/openapi.json", () => openApiDocument(opts));
  serveOnce(app, "/asyncapi.json", () => asyncApiDocument(opts));
  return app;
}

/** A JSON document made on its first request and served as the same bytes after. */
function serveOnce(app: Hono, path: string, make: () => unknown) {
  let body: string | undefined;
  app.get(path, (c) => {
    body ??= JSON.stringify(make());
    return c.body(body, 200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-cache",
    });
  });
}
