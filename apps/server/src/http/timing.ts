import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import { setResponseHeader } from "./response-headers.js";

/** The Connector's response headers on every answer of its surface (errors included). */
export const responseTiming: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  setResponseHeader(c, "X-Response-Duration-ms", String(Math.round(performance.now() - c.get("startedAt"))));
  setResponseHeader(c, "X-Response-Time", new Date().toISOString());
};
