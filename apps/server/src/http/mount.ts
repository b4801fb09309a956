import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { authorize, parseInput, unauthenticated, type Core, type Principal } from "@idhub/core";
import type { Handler } from "hono";
import { clientAddress, type AppContext, type AppEnv } from "./env.js";
import { templateMatcher, toHonoPath } from "./paths.js";
import { entityTag, expectedVersionOf } from "./conditional.js";
import { isBodyRequired } from "./documented-body.js";
import type { HeaderDoc } from "./documented-errors.js";
import type { AnyRoute } from "./route-table.js";
import type { RestSurface } from "./surface.js";
import { setResponseHeader } from "./response-headers.js";

/**
 * Turns a route table into Hono routes and OpenAPI paths, once per surface prefix. Input is validated
 * here, once, with the schemas the document publishes (no @hono/zod-openapi validator middleware).
 */
export function mountRoutes(app: OpenAPIHono<AppEnv>, core: Core, surface: RestSurface, table: readonly AnyRoute[]): void {
  for (const route of table) {
    for (const prefix of surface.prefixes) {
      const path = prefix + route.path;
      app.openAPIRegistry.registerPath(documentRoute(route, surface, prefix));
      app.on(route.method.toUpperCase(), toHonoPath(path), handlerFor(route, surface, core));
    }
  }
}

function handlerFor(route: AnyRoute, surface: RestSurface, core: Core): Handler<AppEnv> {
  return async (c) => {
    try {
      if (route.sensitivePath) c.set("logPath", c.req.routePath);
      // Where each check lives. 401: the auth middleware (callerOf reports its outcome). 403: core
      // decides — `authorize` is core's, and each use case runs it first. 400: the route schemas
      // parse the wire format (path, query strings, body) into core's input shape, with the wire's
      // names in their messages; the values are validated by core (`parseInput`). Domain: core.
      //
      // Why the route's declared action is checked here too (deliberately, the one double check): a
      // caller lacking the permission must get 403 before a malformed request gets 400 (and, on the
      // Connector, before 406), the documented 401 → 403 → 400 → domain order. Core can authorise
      // only when it is called, and a handler can build core's input only from parsed wire input,
      // so core alone would answer 400 first. Letting core do both would mean handing it the wire
      // parsing as a deferred input (a thunk evaluated between its authorize and parseInput): every
      // use case's input type becomes `T | Deferred<T>`, all 46 route handlers change, and the
      // surfaces' wire errors (and the Connector's 406) are raised from inside core's validation
      // step — more coupling, not less. The check here is core's own `authorize`, pure and
      // constant-time, and permissions-matrix.test.ts pins that every route's action is the one its
      // use case checks.
      const principal = route.public ? null : callerOf(c);
      if (principal && route.action) authorize(principal, route.action);
      surface.precheck?.(c, route);
      const result = await route.handle({
        core,
        principal,
        client: clientAddress(c),
        expectedVersion: route.ifMatch ? expectedVersionOf(c.req.header("if-match")) : undefined,
        params: route.params ? parseInput(route.params, c.req.param()) : undefined,
        query: route.query ? parseInput(route.query, queryOf(c.req.url)) : undefined,
        body: route.body ? parseInput(route.body, await surface.readBody(c)) : undefined,
      });
      if (route.etag) setResponseHeader(c, "ETag", entityTag(result as { version: number }));
      return surface.succeed(c, route.status, route.render ? route.render(result) : result);
    } catch (error) {
      return surface.fail(c, error);
    }
  };
}

/** The authenticated principal, or the reason there is none. */
export function callerOf(c: AppContext): Principal {
  const principal = c.get("principal");
  if (principal) return principal;
  throw c.get("authError") ?? unauthenticated("auth.missingSecret", "A secret is required.");
}

/** Query parameters with standard decoding (`+` is a space); a repeated key becomes an array. */
export function queryOf(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  const start = url.indexOf("?");
  if (start < 0) return query;
  for (const [key, value] of new URLSearchParams(url.slice(start + 1))) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/** The methods a table answers on a concrete path (for 405 and its Allow header). */
export function allowedMethods(table: readonly AnyRoute[], prefixes: readonly string[]) {
  const templates = table.flatMap((route) =>
    prefixes.map((prefix) => ({ matcher: templateMatcher(prefix + route.path), method: route.method.toUpperCase() })),
  );
  return (path: string): string[] => [...new Set(templates.filter((t) => t.matcher.test(path)).map((t) => t.method))];
}

function documentRoute(route: AnyRoute, surface: RestSurface, prefix: string) {
  const success =
    route.status === 204 || !route.response
      ? { description: route.status === 204 ? "No content" : "Success" }
      : { description: "Success", content: { "application/json": { schema: surface.successSchema(route.response) } } };
  return {
    method: route.method,
    path: prefix + route.path,
    operationId: surface.operationId(route, prefix),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [surface.tag],
    security: route.public ? [] : [{ [surface.securityScheme]: [] }],
    request: {
      ...(route.ifMatch ? { headers: IF_MATCH } : {}),
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { required: isBodyRequired(route.body), content: { "application/json": { schema: route.body } } } } : {}),
    },
    responses: { [route.status]: withHeaders(success, { ...surface.successHeaders?.(route), ...(route.etag ? ETAG : {}) }), ...surface.errorResponses(route) },
  };
}

const withHeaders = <T extends object>(response: T, headers: Record<string, HeaderDoc>) =>
  Object.keys(headers).length > 0 ? { ...response, headers } : response;

const IF_MATCH = z.object({
  "if-match": z.string().optional().openapi({
    description: 'Act only if the object is still at this version: `"<version>"` from its ETag (else 412).',
    example: '"3"',
  }),
});
const ETAG: Record<string, HeaderDoc> = {
  ETag: { description: 'The object\'s version, `"<version>"`: send it back in If-Match.', schema: { type: "string" } },
};
