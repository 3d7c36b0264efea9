/**
 * The model mirror's Hugging Face routes (`/api/models/...`, `/{owner}/{name}/resolve/...`)
 * on the gateway's port, for the one-process setup where the mirror has no
 * port of its own. The mirror's own handler answers; the gateway only routes.
 */
import { Hono } from "hono";

export function hubRoutes(hub: (req: Request) => Promise<Response>) {
  const app = new Hono();
  const pass = (c: { req: { raw: Request } }) => hub(c.req.raw);
  app.on(["GET", "HEAD"], "/api/models/*", pass);
  app.on(["GET", "HEAD"], "/:owner/:name/resolve/*", pass);
  app.on(["GET", "HEAD"], "/:owner/:name/raw/*", pass);
  app.on(["GET", "HEAD"], "/models/:owner/:name/resolve/*", pass);
  app.on(["GET", "HEAD"], "/models/:owner/:name/raw/*", pass);
  return app;
}
