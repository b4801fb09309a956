import { OpenAPIHono } from "@hono/zod-openapi";
import type { Core } from "@idhub/core";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { mountConnector } from "./connector/index.js";
import { connectorSurface } from "./connector/surface.js";
import { mountHealth } from "./connector/health.js";
import { CONNECTOR_PREFIXES } from "./connector/wire.js";
import { mountDocs } from "./docs.js";
import { mountProbes, type ReadinessCheck } from "./health/probes.js";
import { authenticate } from "./http/authenticate.js";
import { clientAddress } from "./http/client-address.js";
import { declaresMoreThan } from "./http/body.js";
import { errorBoundary } from "./http/error-boundary.js";
import type { AppEnv } from "./http/env.js";
import { routingPath } from "./http/paths.js";
import { corsFor } from "./http/cors.js";
import { HttpProblem } from "./http/problems.js";
import { requestLog } from "./http/request-log.js";
import { retryAfterOf } from "./http/retry-after.js";
import type { Surface } from "./http/surface.js";
import { responseTiming } from "./http/timing.js";
import { metricsRoute } from "./metrics/endpoint.js";
import type { Metrics } from "./metrics/registry.js";
import { requestMetrics } from "./metrics/requests.js";
import { mountTrpc, trpcSurface } from "./trpc.js";
import { mountTrustedTwin } from "./trustedtwin/index.js";
import { trustedTwinSurface } from "./trustedtwin/surface.js";

export interface AppOptions {
  core: Core;
  logger: Logger;
  /** IDHUB_TRUSTED_PROXIES: whose X-Forwarded-For is believed (none by default). */
  trustedProxies?: readonly string[];
  /** What /health/ready checks; without a server around the app: only that the database answers. */
  readiness?: ReadinessCheck;
  /** Browser origins allowed by CORS (`IDHUB_CORS_ORIGINS`); none by default. */
  corsOrigins?: readonly string[];
  /** When given, every request is counted and timed (see metrics/). */
  metrics?: Metrics;
  /** Serves `/metrics` on this app too, behind this token (IDHUB_METRICS_PORT = PORT). */
  publicMetricsToken?: string;
}

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The whole HTTP surface of one process. Order matters in Hono (handlers run in registration order):
 * request log → request metrics → error boundary → CORS → Connector timing headers → public endpoints
 * (health, docs, metrics) → body-size guard → authentication (once, for every surface) → tRPC,
 * Connector, Trusted Twin.
 */
export function createApp({
  core,
  logger,
  trustedProxies = [],
  readiness,
  corsOrigins = [],
  metrics,
  publicMetricsToken,
}: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath });

  const trpc = trpcSurface(logger);
  const connector = withRetryAfter(connectorSurface(logger));
  const trustedTwin = withRetryAfter(trustedTwinSurface(logger));
  // Which surface answers for a path: its error envelope and its body limit.
  const surfaceOf = (path: string): Surface => {
    if (isUnder(path, "/trpc")) return trpc;
    if (CONNECTOR_PREFIXES.some((prefix) => isUnder(path, prefix))) return connector;
    return trustedTwin;
  };

  app.use(requestLog(logger));
  app.use(clientAddress(trustedProxies));
  if (metrics) app.use(requestMetrics(metrics, (path) => surfaceOf(path).name));
  app.use(errorBoundary);
  const cors = corsFor(corsOrigins);
  if (cors) app.use(cors);
  for (const prefix of CONNECTOR_PREFIXES) app.use(`${prefix}/*`, responseTiming);
  mountHealth(app, core);
  mountProbes(app, readiness ?? (async () => ({ database: (await core.health.check()).database, migrations: true, draining: false })));
  mountDocs(app);
  if (metrics && publicMetricsToken) app.get("/metrics", metricsRoute(metrics, publicMetricsToken));

  app.use(bodySizeGuard(surfaceOf));
  app.use(authenticate(core));
  mountTrpc(app, core, logger, trpc);
  mountConnector(app, core, connector);
  mountTrustedTwin(app, core, trustedTwin);

  // The root belongs to Trusted Twin: an unmatched path (or method) is its 404653.
  app.notFound((c) => surfaceOf(c.req.path).fail(c, new HttpProblem("unknownRoute")));
  app.onError((error, c) => surfaceOf(c.req.path).fail(c, error));
  return app;
}

/** A REST surface whose error answers also carry Retry-After when the error says when to retry (throttling). */
function withRetryAfter<S extends Surface>(surface: S): S {
  return {
    ...surface,
    fail(c, error) {
      const response = surface.fail(c, error);
      const retryAfter = retryAfterOf(error);
      if (retryAfter) response.headers.set("Retry-After", retryAfter);
      return response;
    },
  };
}

/** Rejects a declared oversized body before authentication or any reading (chunked bodies are counted when read). */
function bodySizeGuard(surfaceOf: (path: string) => Surface): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const surface = surfaceOf(c.req.path);
    if (declaresMoreThan(c.req.raw, surface.maxBody)) return surface.fail(c, new HttpProblem("tooLarge"));
    await next();
  };
}
