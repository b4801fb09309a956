import { timingSafeEqual } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import type { Config } from "../config.js";
import type { AppEnv } from "../http/env.js";
import { createMetrics, type Metrics } from "./registry.js";

/**
 * `GET /metrics` in Prometheus' text format. With a token, only `Authorization: Bearer <token>`
 * is answered (401 otherwise); the comparison takes the same time whatever the guess.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  return async (c) => {
    if (expected) {
      const presented = Buffer.from(c.req.header("authorization") ?? "");
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        return c.text("unauthorized\n", 401, { "WWW-Authenticate": 'Bearer realm="metrics"' });
      }
    }
    return c.body(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType });
  };
}

export interface MetricsEndpoint {
  metrics: Metrics;
  /** `http://host:port/metrics` of the separate listener; undefined when served on the public port. */
  url: string | undefined;
  /** Served on the public port (IDHUB_METRICS_PORT = PORT, which config only allows with a token). */
  onPublicPort: boolean;
  close(): Promise<void>;
}

/**
 * Starts metrics collection when `IDHUB_METRICS_PORT` is set (else undefined: nothing is
 * collected, nothing is served). On its own port it gets its own tiny listener, so scraping never
 * shares the public port's routes, authentication or CORS.
 */
export async function startMetrics(config: Config): Promise<MetricsEndpoint | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const metrics = createMetrics();
  if (config.metricsPort === config.port && config.port !== 0) {
    return { metrics, url: undefined, onPublicPort: true, close: async () => metrics.close() };
  }
  const app = new Hono<AppEnv>();
  app.get("/metrics", metricsRoute(metrics, config.metricsToken));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.metricsPort, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    metrics,
    url: `http://${host}:${port}/metrics`,
    onPublicPort: false,
    close: () =>
      new Promise<void>((resolve) => {
        metrics.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
