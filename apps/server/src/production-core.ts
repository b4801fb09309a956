import { createCore, LoginThrottle, metrics, systemClock, systemIds, type Core, type Store, type WebhookSettings } from "@idhub/core";
import type { Database } from "@idhub/db";
import type { Config } from "./config.js";

/**
 * The production wiring of core: real clock, real ids (UUIDs, enmeshed ids), the configured address host, the
 * database's feed signal, failed logins counted in the database (shared by every process on it),
 * and the webhook settings (target policy, secret key).
 */
export function coreFor(
  database: Database,
  config: Pick<Config, "addressHost" | "loginMaxFailures" | "loginWindowMs"> & Partial<Pick<Config, "quotas">>,
  webhooks?: WebhookSettings,
): Core {
  return createCore({
    store: timed(database.store),
    clock: systemClock,
    ids: systemIds,
    config: { addressHost: config.addressHost, quotas: config.quotas, webhooks },
    throttle: new LoginThrottle(
      systemClock,
      { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs },
      database.failureCounter,
    ),
    feed: database.feed,
  });
}

/** Reports every use case's transaction (wall time, commit or rollback) to the metrics hook. */
function timed(store: Store): Store {
  return {
    ...store,
    async transaction(work) {
      const startedAt = performance.now();
      const seconds = () => (performance.now() - startedAt) / 1000;
      try {
        const result = await store.transaction(work);
        metrics.dbTransaction(seconds(), "commit");
        return result;
      } catch (error) {
        metrics.dbTransaction(seconds(), "rollback");
        throw error;
      }
    },
  };
}
