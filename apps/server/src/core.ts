import { randomUUID } from "node:crypto";
import { createCore, LoginThrottle, systemClock, type Core, type WebhookSettings } from "@idhub/core";
import type { Database } from "@idhub/db";
import type { Config } from "./config.js";

/** The production wiring of core: real clock, random UUIDs, the configured address host. */
export function coreFor(database: Database, config: Pick<Config, "addressHost">, webhooks?: WebhookSettings): Core {
  return createCore({
    store: database.store,
    clock: systemClock,
    ids: { uuid: () => randomUUID() },
    config: { addressHost: config.addressHost, webhooks },
    throttle: new LoginThrottle(systemClock),
  });
}
