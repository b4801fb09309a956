import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Core } from "@idhub/core";
import type { AppEnv } from "../http/env.js";
import { mountRoutes } from "../http/mount.js";
import type { AnyRoute } from "../http/route-table.js";
import type { RestSurface } from "../http/surface.js";
import { accountRoutes } from "./routes/account.js";
import { identityRoutes } from "./routes/identities.js";
import { logRoutes } from "./routes/log.js";
import { resolveRoutes } from "./routes/resolve.js";
import { roleRoutes } from "./routes/roles.js";
import { secretRoutes } from "./routes/secrets.js";
import { twinRoutes } from "./routes/twins.js";
import { userRoutes } from "./routes/users.js";

/** Every Trusted Twin route; a new area adds its table file here. */
export const trustedTwinRoutes: readonly AnyRoute[] = [
  ...accountRoutes,
  ...userRoutes,
  ...roleRoutes,
  ...secretRoutes,
  ...twinRoutes,
  ...identityRoutes,
  ...resolveRoutes,
  ...logRoutes,
];

/**
 * Mounts the Trusted Twin surface at the root. Unknown routes are answered by the app's not-found
 * handler with this surface's renderer (the root is Trusted Twin's).
 */
export function mountTrustedTwin(
  app: OpenAPIHono<AppEnv>,
  core: Core,
  surface: RestSurface,
  table: readonly AnyRoute[] = trustedTwinRoutes,
): void {
  app.openAPIRegistry.registerComponent("securitySchemes", surface.securityScheme, {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "The user secret, bare (`Authorization: <secret>`) or as `Bearer <secret>`.",
  });
  mountRoutes(app, core, surface, table);
}
