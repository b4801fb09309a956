import { createCore, LoginThrottle, systemClock, systemIds, type Core } from "@idhub/core";
import type { Database } from "@idhub/db";
import type { Config } from "./config.js";

/**
 * The production wiring of core: real clock, real ids (UUIDs, enmeshed ids), the configured address host, the
 * database's feed signal, and failed logins counted in the database (shared by every process on it).
 */
export function coreFor(database: Database, config: Pick<Config, "addressHost" | "loginMaxFailures" | "loginWindowMs" | "quotas">): Core {
  return createCore({
    store: database.store,
    clock: systemClock,
    ids: systemIds,
    config: { addressHost: config.addressHost, quotas: config.quotas },
    throttle: new LoginThrottle(
      systemClock,
      { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs },
      database.failureCounter,
    ),
    feed: database.feed,
  });
}
