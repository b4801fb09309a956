import { appRouter } from "@idhub/api";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import type { AppEnv } from "../http/env.js";
import type { Metrics } from "./registry.js";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/**
 * Counts and times every answered request by surface, route template, method and status. The route
 * is the template the request matched (`/twins/{twin}`), never the raw path: ids and identity names
 * never become label values. Paths no route matched share the label `unmatched`.
 */
export function requestMetrics(metrics: Metrics, surfaceOf: (path: string) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    metrics.observeRequest(
      {
        surface: surfaceOf(c.req.path),
        route: routeLabel(answeringPattern(c), c.req.path),
        method: METHODS.has(c.req.method) ? c.req.method : "other",
        status: c.res.status,
      },
      (performance.now() - startedAt) / 1000,
    );
  };
}

/**
 * The pattern of the route that answered; when a middleware answered first (size guard, CORS
 * preflight), the first route the request would have reached. Wildcards are middleware/fallbacks.
 */
function answeringPattern(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const current = routePath(c);
  if (current !== "" && !current.includes("*")) return current;
  return matchedRoutes(c).find((route) => !route.path.includes("*") && route.method !== "ALL")?.path ?? current;
}

/** Hono's pattern of the route that answered, in OpenAPI's `{param}` form; tRPC by procedure. */
export function routeLabel(pattern: string, path: string): string {
  if (pattern === "/trpc/*") return trpcLabel(path.slice("/trpc/".length));
  if (pattern === "" || pattern.includes("*")) return "unmatched";
  return pattern.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function trpcLabel(procedures: string): string {
  if (procedures.includes(",")) return "/trpc/{batch}";
  return PROCEDURES.has(procedures) ? `/trpc/${procedures}` : "/trpc/{unknown}";
}
