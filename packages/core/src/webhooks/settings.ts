import { newSecretKey } from "../access/kernel.js";
import type { CoreConfig } from "../deps.js";
import type { WebhookSettings } from "./webhook.js";


/**
 * The configured settings. A core built without them (unit tests of other areas) gets a random
 * key that lives as long as the core: secrets then only verify within that process.
 */
export function webhookSettings(config: CoreConfig): WebhookSettings {
  return config.webhooks ?? { allowPrivate: false, secretKey: Buffer.from(newSecretKey(), "base64url") };
}
