import { createHmac } from "node:crypto";

/**
 * A webhook's signing secret, derived rather than stored: HMAC-SHA256(server webhook key,
 * "idhub-webhook:<id>:<generation>"). A leaked database reveals no secret; rotating bumps the
 * generation. The key is `IDHUB_WEBHOOKS_KEY` (see the README); changing it changes every secret.
 * The `whsec_` + base64 form is what Standard Webhooks libraries accept.
 */
export function webhookSecret(key: Uint8Array, webhookId: string, generation: number): string {
  const bytes = createHmac("sha256", key).update(`idhub-webhook:${webhookId}:${generation}`).digest();
  return `whsec_${bytes.toString("base64")}`;
}
