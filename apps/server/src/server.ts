import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Core } from "@idhub/core";
import { openDatabase, type Database } from "@idhub/db";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { announceBootstrap, bootstrapSecretPath } from "./bootstrap.js";
import type { Config } from "./config.js";
import { coreFor } from "./core.js";
import { createLogger } from "./logger.js";
import { startWebhookDelivery, webhookSettingsFor, type WebhookHooks } from "./webhooks/index.js";
import { startMetrics, type MetricsEndpoint } from "./metrics/endpoint.js";

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** An open database (tests); otherwise `config.databaseUrl` is opened. Either way close() closes it. */
  database?: Database;
  /** Where a first-start secret is written; defaults to beside the SQLite file, or ./data/. */
  bootstrapSecretFile?: string;
  /** Where a first-start secret is printed; defaults to process.stdout. */
  stdout?: { write(text: string): unknown };
  /** How long close() lets in-flight requests finish before cutting connections. */
  shutdownGraceMs?: number;
  /** Webhook worker hooks (tests: name resolution; metrics: attempt outcomes). */
  webhooks?: WebhookHooks;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The Prometheus endpoint's URL when IDHUB_METRICS_PORT is set (on the public port: `${url}/metrics`). */
  metricsUrl: string | undefined;
  core: Core;
  database: Database;
  logger: Logger;
  /** Graceful shutdown: stop accepting, let in-flight requests finish, close the database. Idempotent. */
  close(): Promise<void>;
}

/** Opens and migrates the database, bootstraps the first account if needed, and serves HTTP. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config);
  const database = opts.database ?? (await openDatabase(config.databaseUrl, { sqliteSync: config.sqliteSync }));
  let metrics: MetricsEndpoint | undefined;
  try {
    await database.migrate();
    const core = coreFor(database, config, await webhookSettingsFor(config, logger, opts.database !== undefined));
    const created = await core.admin.bootstrap();
    if (created) {
      const file = opts.bootstrapSecretFile ?? bootstrapSecretPath(config.databaseUrl);
      await announceBootstrap(created, { file, logger, stdout: opts.stdout ?? process.stdout });
    }
    metrics = await startMetrics(config);
    const app = createApp({
      core,
      logger,
      corsOrigins: config.corsOrigins,
      metrics: metrics?.metrics,
      publicMetricsToken: metrics?.onPublicPort ? config.metricsToken : undefined,
    });
    const server = await listen(app.fetch, config);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    const metricsUrl = metrics?.onPublicPort ? `${url}/metrics` : metrics?.url;
    logger.info({ url, metricsUrl, dialect: database.dialect }, "listening");
    const webhooks = startWebhookDelivery(core, config, logger, opts.webhooks);

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= Promise.all([webhooks.stop(), closeGracefully(server, opts.shutdownGraceMs ?? 10_000)])
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

type Fetch = Parameters<typeof createAdaptorServer>[0]["fetch"];

// createAdaptorServer keeps @hono/node-server's default overrideGlobalObjects (faster, see architecture.md).
function listen(fetch: Fetch, config: Config): Promise<Server> {
  const server = createAdaptorServer({ fetch }) as Server;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/**
 * Stops accepting connections at once; requests in flight finish (their keep-alive connections are
 * closed as soon as they go idle); after `graceMs` whatever is left is cut.
 */
function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
