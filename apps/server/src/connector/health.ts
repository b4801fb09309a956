import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Core } from "@idhub/core";
import type { AppEnv } from "../http/env.js";
import { responseTiming } from "../http/timing.js";

const health = z
  .object({
    isHealthy: z.boolean(),
    services: z.record(z.string(), z.enum(["healthy", "unhealthy"])),
  })
  .openapi("ConnectorHealth");

/**
 * `GET /health`, in the Connector's shape (plain JSON, no envelope, no authentication): 200 when the
 * database answers, 500 when it does not (as Connector 7.x does).
 */
export function mountHealth(app: OpenAPIHono<AppEnv>, core: Core): void {
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/health",
    operationId: "getHealth",
    summary: "Health of the server and its database",
    tags: ["connector"],
    security: [],
    responses: {
      200: { description: "Healthy", content: { "application/json": { schema: health } } },
      500: { description: "Unhealthy", content: { "application/json": { schema: health } } },
    },
  });
  app.get("/health", responseTiming, async (c) => {
    const { database } = await core.health.check();
    const body: z.input<typeof health> = {
      isHealthy: database,
      services: { database: database ? "healthy" : "unhealthy" },
    };
    return c.json(body, database ? 200 : 500);
  });
}
