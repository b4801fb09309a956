import { randomBytes } from "node:crypto";
import type { Core, WebhookSettings } from "@idhub/core";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { webhookKey } from "./key.js";
import { WebhookWorker, type WorkerOptions } from "./worker.js";

export type { WebhookConfig } from "./config.js";
export type { DeliveryAttempt } from "./worker.js";
export { WebhookWorker };

/** Test and metrics hooks of the worker (name resolution, attempt outcomes). */
export type WebhookHooks = Pick<WorkerOptions, "resolve" | "onAttempt">;

/** Core's webhook settings: the SSRF switch and the secret-derivation key. */
export async function webhookSettingsFor(
  config: Pick<Config, "webhooks" | "databaseUrl">,
  logger: Logger,
  /** The database was handed in (tests), so `databaseUrl` says nothing about where a key file belongs. */
  databaseHandedIn: boolean,
): Promise<WebhookSettings> {
  const secretKey =
    config.webhooks.key ?? (databaseHandedIn ? randomBytes(32) : await webhookKey(config.webhooks.key, config.databaseUrl, logger));
  return { allowPrivate: config.webhooks.allowPrivate, secretKey };
}

/** Starts this process's delivery worker; `stop()` ends it (call before closing the database). */
export function startWebhookDelivery(core: Core, config: Pick<Config, "webhooks">, logger: Logger, hooks: WebhookHooks = {}): WebhookWorker {
  const worker = new WebhookWorker({ core, logger: logger.child({ component: "webhooks" }), config: config.webhooks, ...hooks });
  worker.start();
  return worker;
}
