import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Core } from "@idhub/core";
import type { AppEnv } from "../http/env.js";
import { allowedMethods, callerOf, mountRoutes } from "../http/mount.js";
import { HttpProblem } from "../http/problems.js";
import type { AnyRoute } from "../http/route-table.js";
import type { RestSurface } from "../http/surface.js";
import { accountRoutes } from "./routes/account.js";
import { identityMetadataRoutes } from "./routes/identity-metadata.js";
import { connectorVersionOf, relationshipTemplateRoutes } from "./routes/relationship-templates.js";
import { relationshipRoutes } from "./routes/relationships.js";

/** Every Connector route; a new area adds its table file here. */
export const connectorRoutes: readonly AnyRoute[] = [...accountRoutes, ...identityMetadataRoutes];

/**
 * Routes whose DTOs differ between Connector 6.x (`/api/v2`) and 7.x (`/api/core/v1`): one table
 * per prefix (a route's render does not learn the prefix it was called under).
 */
export const connectorRoutesFor = (prefix: string): readonly AnyRoute[] => {
  const version = connectorVersionOf(prefix);
  return [...relationshipTemplateRoutes(version), ...relationshipRoutes(version)];
};

/**
 * Mounts the Connector surface under both prefixes, then a fallback per prefix that behaves like the
 * Connector's: authentication comes before route matching (no key → 401), then 405 with Allow for a
 * known path, else 404 routeDoesNotExist.
 */
export function mountConnector(
  app: OpenAPIHono<AppEnv>,
  core: Core,
  surface: RestSurface,
  table: readonly AnyRoute[] = connectorRoutes,
  tableFor: (prefix: string) => readonly AnyRoute[] = connectorRoutesFor,
): void {
  app.openAPIRegistry.registerComponent("securitySchemes", surface.securityScheme, {
    type: "apiKey",
    in: "header",
    name: "X-API-KEY",
  });
  for (const prefix of surface.prefixes) {
    const routes = [...table, ...tableFor(prefix)];
    mountRoutes(app, core, { ...surface, prefixes: [prefix] }, routes);
    const allowed = allowedMethods(routes, [prefix]);
    app.all(`${prefix}/*`, (c) => {
      try {
        callerOf(c);
        const allow = allowed(c.req.path);
        throw allow.length > 0 ? new HttpProblem("methodNotAllowed", allow) : new HttpProblem("unknownRoute");
      } catch (error) {
        return surface.fail(c, error);
      }
    });
  }
}
