import type { LoginThrottle } from "./access/login-throttle.js";
import type { FeedSignal } from "./events/feed-signal.js";
import type { Clock, Ids } from "./shared/ports.js";
import type { Quotas } from "./shared/quotas.js";
import type { Store } from "./storage.js";
import type { WebhookSettings } from "./webhooks/webhook.js";

export interface CoreConfig {
  /** Host part of enmeshed addresses (`did:e:<host>:dids:…`). */
  addressHost: string;
  /** Per-account quotas (IDHUB_MAX_*); DEFAULT_QUOTAS when absent. */
  quotas?: Partial<Quotas> | undefined;
  /** Webhook target policy and signing key; the server always sets it (see webhooks/settings.ts). */
  webhooks?: WebhookSettings | undefined;
}

/** Everything a use case may touch. No I/O of core's own: storage comes in through `store`. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  config: CoreConfig;
  throttle: LoginThrottle;
  /** Wakes change-feed readers when events commit (absent: nothing follows the feed live). */
  feed?: FeedSignal | undefined;
}
