/**
 * The path Hono routes on: taken raw from the URL (no decoding, so each parameter is decoded exactly
 * once, by Hono's param accessor) and without a trailing slash, so `/x` and `/x/` are one route.
 */
export function routingPath(request: Request): string {
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("://") + 3);
  if (start < 0) return "/";
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const path = url.slice(start, end);
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** `/users/{user}` (OpenAPI) → `/users/:user` (Hono). */
export const toHonoPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ":$1");

/** A matcher for an OpenAPI path template, used to tell "wrong method" from "unknown route". */
export function templateMatcher(path: string): RegExp {
  const pattern = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${pattern}$`);
}
