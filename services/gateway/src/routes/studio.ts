/**
 * GET / and /studio: the Studio web app (upload, edit, listen, export), and
 * its two assets. Everything is same-origin; the app uses only the public API.
 */
import { Hono } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import { StudioUnavailableError, studioAssets, studioHtml } from "../studio/build";

const CSP =
  "default-src 'self'; script-src 'self' 'sha256-INLINE'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'";

async function assets() {
  try {
    return await studioAssets();
  } catch (err) {
    if (err instanceof StudioUnavailableError) throw new AppError(503, "studio_unavailable", err.message);
    throw err;
  }
}

export function studioRoutes() {
  const app = new Hono();
  const page = async (c: import("hono").Context) => {
    const a = await assets();
    const html = studioHtml(a);
    const inline = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = new Bun.CryptoHasher("sha256").update(inline).digest("base64");
    return c.html(html, 200, {
      "content-security-policy": CSP.replace("sha256-INLINE", `sha256-${hash}`),
      "cache-control": "no-cache",
    });
  };
  app.get("/", page);
  app.get("/studio", page);
  app.get("/studio/", page);
  app.get("/studio/app.js", async (c) => {
    const a = await assets();
    return c.body(a.js, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${a.hash}"`,
    });
  });
  app.get("/studio/app.css", async (c) => {
    const a = await assets();
    return c.body(a.css, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${a.hash}"`,
    });
  });
  return app;
}
