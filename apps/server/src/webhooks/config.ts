import { z } from "zod";

/** Webhook delivery settings (`IDHUB_WEBHOOKS_*`, documented in the README's configuration table). */
export interface WebhookConfig {
  /** Allow loopback/private/link-local targets and plain http (tests, single-tenant installs). */
  allowPrivate: boolean;
  /** The key webhook secrets are derived from (≥ 32 bytes); unset = a key file beside the data (see key.ts). */
  key: Buffer | undefined;
  /** Webhooks delivered at the same time by one process. */
  concurrency: number;
  /** Catch-up poll of the events table. */
  pollMs: number;
  /** A receiver has this long to answer (headers and body). */
  timeoutMs: number;
  leaseMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  disableAfterMs: number;
}

const ms = (fallback: number, min = 1) =>
  z.coerce.number({ error: "must be a number of milliseconds" }).int("must be an integer").min(min, `must be at least ${min}`).default(fallback);

function decodeKey(text: string): Buffer {
  const bytes = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  return bytes;
}

export const webhookEnvSchema = {
  IDHUB_WEBHOOKS_ALLOW_PRIVATE: z.enum(["true", "false"], { error: "must be true or false" }).default("false"),
  IDHUB_WEBHOOKS_KEY: z
    .string()
    .refine((text) => decodeKey(text).length >= 32, "must be at least 32 bytes, hex or base64 (e.g. `openssl rand -base64 32`)")
    .optional(),
  IDHUB_WEBHOOKS_CONCURRENCY: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(1, "must be at least 1").max(1000).default(16),
  IDHUB_WEBHOOKS_POLL_MS: ms(1_000, 10),
  IDHUB_WEBHOOKS_TIMEOUT_MS: ms(10_000, 100),
  IDHUB_WEBHOOKS_LEASE_MS: ms(30_000, 100),
  IDHUB_WEBHOOKS_BACKOFF_MIN_MS: ms(1_000),
  IDHUB_WEBHOOKS_BACKOFF_MAX_MS: ms(3_600_000),
  IDHUB_WEBHOOKS_DISABLE_AFTER_MS: ms(86_400_000),
};

type Parsed = z.output<z.ZodObject<typeof webhookEnvSchema>>;

export function webhookConfigOf(e: Parsed): WebhookConfig {
  return {
    allowPrivate: e.IDHUB_WEBHOOKS_ALLOW_PRIVATE === "true",
    key: e.IDHUB_WEBHOOKS_KEY === undefined ? undefined : decodeKey(e.IDHUB_WEBHOOKS_KEY),
    concurrency: e.IDHUB_WEBHOOKS_CONCURRENCY,
    pollMs: e.IDHUB_WEBHOOKS_POLL_MS,
    timeoutMs: e.IDHUB_WEBHOOKS_TIMEOUT_MS,
    leaseMs: e.IDHUB_WEBHOOKS_LEASE_MS,
    minBackoffMs: e.IDHUB_WEBHOOKS_BACKOFF_MIN_MS,
    maxBackoffMs: Math.max(e.IDHUB_WEBHOOKS_BACKOFF_MAX_MS, e.IDHUB_WEBHOOKS_BACKOFF_MIN_MS),
    disableAfterMs: e.IDHUB_WEBHOOKS_DISABLE_AFTER_MS,
  };
}
