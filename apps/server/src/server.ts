import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Core } from "@idhub/core";
import { openDatabase, type Database } from "@idhub/db";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { coreFor } from "./production-core.js";
import type { ReadinessCheck } from "./health/probes.js";
import { Drain } from "./lifecycle/draining.js";
import { prepareDatabase } from "./lifecycle/prepare.js";
import { createLogger } from "./logger.js";
import { startWebhookDelivery, webhookSettingsFor, type WebhookHooks } from "./webhooks/index.js";
import { startMetrics, type MetricsEndpoint } from "./metrics/endpoint.js";
import { scheduleRetention } from "./retention.js";

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** An open database (tests); otherwise `config.databaseUrl` is opened. Either way close() closes it. */
  database?: Database;
  /** Where a first-start secret is written; defaults to beside the SQLite file, or ./data/. */
  bootstrapSecretFile?: string;
  /** Where a first-start secret is printed; defaults to process.stdout. */
  stdout?: { write(text: string): unknown };
  /** How long close() lets in-flight requests finish before cutting connections (default: config.shutdownTimeoutMs). */
  shutdownGraceMs?: number;
  /** Webhook worker hooks (tests: name resolution; metrics: attempt outcomes). */
  webhooks?: WebhookHooks;
  /** The database is already migrated and bootstrapped (a cluster worker: the primary did it once). */
  prepared?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The Prometheus endpoint's URL when IDHUB_METRICS_PORT is set (on the public port: `${url}/metrics`). */
  metricsUrl: string | undefined;
  core: Core;
  database: Database;
  logger: Logger;
  /**
   * Graceful shutdown: readiness turns 503, the port closes (after IDHUB_DRAIN_DELAY), in-flight
   * requests finish, the database closes. Idempotent.
   */
  close(): Promise<void>;
}

/** Opens and migrates the database, bootstraps the first account if needed, and serves HTTP. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config);
  const database = opts.database ?? (await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync }));
  let metrics: MetricsEndpoint | undefined;
  try {
    if (!opts.prepared) {
      await prepareDatabase(database, config, { logger, bootstrapSecretFile: opts.bootstrapSecretFile, stdout: opts.stdout ?? process.stdout });
    }
    const core = coreFor(database, config, await webhookSettingsFor(config, logger, opts.database !== undefined));
    let drain: Drain | undefined;
    const readiness = readinessOf(core, database, () => drain?.draining ?? false);
    metrics = await startMetrics(config);
    const app = createApp({
      core,
      logger,
      trustedProxies: config.trustedProxies,
      readiness,
      corsOrigins: config.corsOrigins,
      metrics: metrics?.metrics,
      publicMetricsToken: metrics?.onPublicPort ? config.metricsToken : undefined,
    });
    const server = await listen(app.fetch, config);
    drain = new Drain(server);
    const stopRetention = config.eventsRetentionMs ? scheduleRetention(core, config.eventsRetentionMs, logger) : () => {};
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    const metricsUrl = metrics?.onPublicPort ? `${url}/metrics` : metrics?.url;
    logger.info({ url, metricsUrl, dialect: database.dialect }, "listening");
    const webhooks = startWebhookDelivery(core, config, logger, opts.webhooks);

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= Promise.all([webhooks.stop(), endBackgroundWork(core, stopRetention)])
        .then(() => drain!.start({ delayMs: config.drainDelayMs, timeoutMs: opts.shutdownGraceMs ?? config.shutdownTimeoutMs }))
        .finally(() => metrics?.close())
        .finally(() => database.close())
        .then(() => {
          logger.info("stopped");
        }));
    return { url, port, metricsUrl, core, database, logger, close };
  } catch (error) {
    await metrics?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Before connections drain: stop retention and end every change-feed stream (each ends with a
 * retryable error, so subscribers reconnect — to another process, or to this one restarted — and
 * resume from their last event). Open streams would otherwise hold the server open until the grace ends.
 */
async function endBackgroundWork(core: Core, stopRetention: () => void): Promise<void> {
  stopRetention();
  core.events.closeSubscriptions();
}

/**
 * /health/ready: the database answers, this code's migrations are applied, not draining. Once the
 * migrations are seen applied they stay so for the life of the process, so a probe under load
 * costs one `select 1`.
 */
function readinessOf(core: Core, database: Database, draining: () => boolean): ReadinessCheck {
  let migrated = false;
  return async () => {
    const [{ database: reachable }, pending] = await Promise.all([
      core.health.check(),
      migrated ? [] : database.pendingMigrations().catch(() => undefined),
    ]);
    migrated = pending !== undefined && pending.length === 0;
    return { database: reachable, migrations: migrated, draining: draining() };
  };
}

type Fetch = Parameters<typeof createAdaptorServer>[0]["fetch"];

// createAdaptorServer keeps @hono/node-server's default overrideGlobalObjects (faster, see architecture.md).
// An HTTP/1.0 request may come without a Host header (load balancers' health checks do): the
// adapter then builds the request URL on `hostname` instead of answering 400. (Node itself still
// refuses an HTTP/1.1 request without Host, as RFC 9112 requires.)
function listen(fetch: Fetch, config: Config): Promise<Server> {
  const server = createAdaptorServer({ fetch, hostname: "localhost" }) as Server;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
