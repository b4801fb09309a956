import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./env.js";

/** Request headers a browser app may send: the secret, bodies, conditional requests, ids. */
const ALLOWED_HEADERS = ["Authorization", "X-API-KEY", "Content-Type", "Accept", "If-Match", "X-TrustedTwin", "X-Request-Id"];
/** Response headers a browser app may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = ["ETag", "X-Request-Id", "Retry-After", "Location", "Allow"];

/**
 * CORS for browser apps on the configured origins (`IDHUB_CORS_ORIGINS`), with Hono's middleware.
 * Preflights are answered here, before authentication (they carry no secret). Credentials mode is
 * never allowed: idhub authenticates with a header the app sets, not with cookies, so a page never
 * needs the browser to attach ambient credentials — and `*` with credentials would expose every
 * user's session to any site. With no origins configured nothing is mounted and answers carry no
 * CORS headers, so browsers keep their same-origin default.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler<AppEnv> | undefined {
  if (origins.length === 0) return undefined;
  const allowed = cors({
    origin: origins.includes("*") ? "*" : [...origins],
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    credentials: false,
  });
  // Only cross-origin requests (they carry Origin) are CORS requests; an OPTIONS without one is
  // answered by the routes like any other method.
  return (c, next) => (c.req.header("origin") === undefined ? next() : allowed(c, next));
}
