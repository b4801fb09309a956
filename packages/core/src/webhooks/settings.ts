import { randomBytes } from "node:crypto";
import type { CoreConfig } from "../deps.js";

/** Webhook configuration core needs: the SSRF switch and the key secrets are derived from. */
export interface WebhookSettings {
  /** `IDHUB_WEBHOOKS_ALLOW_PRIVATE`: allow private/loopback targets and plain http. */
  allowPrivate: boolean;
  /** ≥ 32 bytes; `IDHUB_WEBHOOKS_KEY` (the server always passes one). */
  secretKey: Uint8Array;
}

/**
 * The configured settings. A core built without them (unit tests of other areas) gets a random
 * key that lives as long as the core: secrets then only verify within that process.
 */
export function webhookSettings(config: CoreConfig): WebhookSettings {
  return config.webhooks ?? { allowPrivate: false, secretKey: randomBytes(32) };
}
