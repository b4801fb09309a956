import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";

/** The Connector's response headers on every answer of its surface (errors included). */
export const responseTiming: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("X-Response-Duration-ms", String(Math.round(performance.now() - c.get("startedAt"))));
  c.header("X-Response-Time", new Date().toISOString());
};
