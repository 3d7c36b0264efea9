/**
 * The Studio's browser assets, built from the TypeScript sources in
 * services/gateway/studio by Bun's bundler when first asked for (so nothing
 * built is committed and `npm start` needs no separate build step). The
 * result is kept in memory for the life of the process. Off Bun (the Deno
 * build of the gateway) there is no bundler: the studio answers 503 there.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface StudioAssets {
  js: string;
  css: string;
  /** sha-256 prefix of js+css, used as the cache-busting query and ETag. */
  hash: string;
  /** Gzipped size of the JavaScript in bytes (what a browser downloads). */
  jsGzipBytes: number;
}

export const STUDIO_SOURCE_DIR = fileURLToPath(new URL("../../studio", import.meta.url));

let built: Promise<StudioAssets> | undefined;

export class StudioUnavailableError extends Error {}

export function studioAssets(): Promise<StudioAssets> {
  built ??= buildStudio().catch((err) => {
    built = undefined; // a later request may try again (e.g. after a source fix in development)
    throw err;
  });
  return built;
}

async function buildStudio(): Promise<StudioAssets> {
  const bun = (globalThis as { Bun?: typeof Bun }).Bun;
  if (!bun?.build)
    throw new StudioUnavailableError("the studio is built with Bun's bundler; this runtime has none");
  const out = await bun.build({
    entrypoints: [`${STUDIO_SOURCE_DIR}/main.tsx`],
    minify: true,
    target: "browser",
    format: "esm",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!out.success) throw new Error(`studio build failed: ${out.logs.map((l) => l.message).join("; ")}`);
  let js = "";
  let css = "";
  for (const o of out.outputs) {
    if (o.path.endsWith(".js")) js += await o.text();
    else if (o.path.endsWith(".css")) css += await o.text();
  }
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(js);
  hasher.update(css);
  return { js, css, hash: hasher.digest("hex").slice(0, 16), jsGzipBytes: gzipSync(js).length };
}

export function studioHtml(a: StudioAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kokoro-edge Studio</title>
<link rel="stylesheet" href="/studio/app.css?v=${a.hash}">
<script>try{var t=localStorage.getItem("studio.theme");if(t)document.documentElement.dataset.theme=t;var v=localStorage.getItem("studio.variant");if(v)document.documentElement.dataset.variant=v}catch(e){}</script>
</head>
<body>
<div id="app"><p class="boot">Loading the studio…</p></div>
<script type="module" src="/studio/app.js?v=${a.hash}"></script>
</body>
</html>`;
}
