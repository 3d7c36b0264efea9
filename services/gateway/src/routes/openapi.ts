/** GET /openapi.json: the OpenAPI 3.1 document, generated once from the zod schemas; GET /asyncapi.json: the realtime sockets. */
import { Hono } from "hono";
import { apiKeysRequired } from "../config";
import type { GatewayDeps } from "../deps";
import { openApiDocument } from "../openapi/document";
import { asyncApiDocument } from "../openapi/asyncapi";

export function openapiRoutes(deps: GatewayDeps) {
  const app = new Hono();
  let doc: string | undefined;
  app.get("/openapi.json", (c) => {
    doc ??= JSON.stringify(
      openApiDocument({
        keysRequired: apiKeysRequired(deps.config),
        maxInputChars: deps.config.MAX_INPUT_CHARS,
      }),
    );
    return c.body(doc, 200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-cache",
    });
  });
  let asyncDoc: string | undefined;
  app.get("/asyncapi.json", (c) => {
    asyncDoc ??= JSON.stringify(
      asyncApiDocument({
        keysRequired: apiKeysRequired(deps.config),
        maxInputChars: deps.config.MAX_INPUT_CHARS,
      }),
    );
    return c.body(asyncDoc, 200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-cache",
    });
  });
  return app;
}
