import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./http/env.js";
import { withExamples } from "./openapi-examples.js";

const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "idhub",
    version: "0.1.0",
    description:
      "Self-hosted identity hub. Two REST surfaces over one domain: Trusted-Twin-compatible (root paths) and " +
      "enmeshed-Connector-compatible (`/api/core/v1` and `/api/v2`). TypeScript clients use tRPC at `/trpc`.",
  },
  // Relative: Swagger UI's "Try it out" and generated clients talk to the server that served this.
  servers: [{ url: "/", description: "The idhub server that serves this document" }],
  tags: [
    { name: "trustedtwin", description: "Trusted-Twin-compatible REST API" },
    { name: "connector", description: "enmeshed-Connector-compatible REST API" },
    { name: "operations", description: "Probes for orchestrators and load balancers" },
  ],
};

// Swagger UI is served from the installed swagger-ui-dist package: the docs work offline.
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>idhub API</title>
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});
`;

const assetDir = () => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * `/openapi.json` and `/docs/json` (the document, generated once from the route registrations on
 * first request), `/docs` (Swagger UI). Mounted before authentication: docs are public.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  let document: unknown;
  const openapi = () => (document ??= withExamples(app.getOpenAPI31Document(DOCUMENT)));
  app.get("/openapi.json", (c) => c.json(openapi()));
  app.get("/docs/json", (c) => c.json(openapi()));
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "Content-Type": "text/javascript; charset=utf-8" }));

  const cache = new Map<string, Promise<Buffer>>();
  app.get("/docs/assets/:file", async (c, next) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return next();
    if (!cache.has(file)) {
      const reading = readFile(join(assetDir(), file));
      reading.catch(() => cache.delete(file)); // a failed read is retried next time
      cache.set(file, reading);
    }
    const bytes = await cache.get(file)!;
    return c.body(new Uint8Array(bytes), 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
