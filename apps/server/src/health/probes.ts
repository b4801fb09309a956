import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/env.js";

export interface Readiness {
  database: boolean;
  migrations: boolean;
  draining: boolean;
}

/** What /health/ready asks; the server binds it to its database and its drain. */
export type ReadinessCheck = () => Promise<Readiness>;

const live = z.object({ status: z.literal("live") }).openapi("Liveness");
const ready = z
  .object({
    status: z.enum(["ready", "unready"]),
    checks: z.object({ database: z.boolean(), migrations: z.boolean(), draining: z.boolean() }),
  })
  .openapi("Readiness");

/**
 * Probes for orchestrators and load balancers (no authentication, plain JSON):
 * - `GET /health/live`: 200 while the process serves HTTP at all (restart it when this fails);
 * - `GET /health/ready`: 200 when the database answers, every migration is applied and the process
 *   is not draining; else 503 (send it no traffic). `/health` keeps the Connector's shape.
 */
export function mountProbes(app: OpenAPIHono<AppEnv>, readiness: ReadinessCheck): void {
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/health/live",
    operationId: "getLiveness",
    summary: "Liveness: the process serves HTTP",
    tags: ["operations"],
    security: [],
    responses: { 200: { description: "Live", content: { "application/json": { schema: live } } } },
  });
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/health/ready",
    operationId: "getReadiness",
    summary: "Readiness: database reachable, migrations applied, not draining",
    tags: ["operations"],
    security: [],
    responses: {
      200: { description: "Ready for traffic", content: { "application/json": { schema: ready } } },
      503: { description: "Not ready (starting, draining, or the database is unreachable)", content: { "application/json": { schema: ready } } },
    },
  });

  app.get("/health/live", (c) => c.json({ status: "live" } satisfies z.input<typeof live>, 200));
  app.get("/health/ready", async (c) => {
    const checks = await readiness();
    const ok = checks.database && checks.migrations && !checks.draining;
    return c.json({ status: ok ? "ready" : "unready", checks } satisfies z.input<typeof ready>, ok ? 200 : 503);
  });
}
