/** GET /docs: the API reference page (self-contained HTML that renders /openapi.json, with a streaming player). */
import { Hono } from "hono";
import { DOCS_HTML } from "../openapi/docs-page";

export function docsRoutes() {
  const app = new Hono();
  app.get("/docs", (c) =>
    c.html(DOCS_HTML, 200, {
      "content-security-policy":
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; media-src 'self' blob:",
      "cache-control": "no-cache",
    }),
  );
  return app;
}
