import type { DomainEvent } from "../events/event.js";
import type { Relationship } from "../relationships/relationship.js";

/** Webhook configuration core needs: the SSRF switch and the key secrets are derived from. */
export interface WebhookSettings {
  /** `IDHUB_WEBHOOKS_ALLOW_PRIVATE`: allow private/loopback targets and plain http. */
  allowPrivate: boolean;
  /** ≥ 32 bytes; `IDHUB_WEBHOOKS_KEY` (the server always passes one). */
  secretKey: Uint8Array;
}

/**
 * A per-account webhook as stored: where to send, what to send, and its place in the account's
 * change feed (the outbox position). The signing secret is never stored: it is derived from the
 * server's webhook key, the webhook id and `secretGeneration` (see secret.ts).
 */
export interface StoredWebhook {
  id: string;
  account: string;
  url: string;
  /** Triggers to send (exact, or a prefix ending in `.*`); null = everything. */
  types: string[] | null;
  description: string | null;
  enabled: boolean;
  /** Why delivery stopped by itself (e.g. 24 h of failures); null when enabled or disabled by a user. */
  disabledReason: string | null;
  secretGeneration: number;
  /** Every message of the account's events with seq <= position has been delivered. */
  position: number;
  /** How many messages of the first event after `position` have been delivered already. */
  partial: number;
  /** Consecutive failed attempts of the message at the head of the queue. */
  attempts: number;
  /** Not before this time (epoch ms): the back-off after a failure. */
  nextAttemptAt: number;
  /** When the current run of failures began; null while healthy. */
  failingSince: number | null;
  /** The process delivering this webhook right now, and until when its claim holds. */
  leaseOwner: string | null;
  leaseUntil: number;
  createdAt: number;
  updatedAt: number;
}

/** What the API shows: no secret, no lease internals. */
export interface Webhook {
  id: string;
  url: string;
  types: string[] | null;
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
  delivery: {
    /** The last event seq fully delivered. */
    position: number;
    attempts: number;
    nextAttemptAt: number | null;
    failingSince: number | null;
  };
}

export interface WebhookWithSecret {
  webhook: Webhook;
  /** Standard Webhooks secret (`whsec_<base64>`); shown only by create and rotateSecret. */
  secret: string;
}

export interface WebhookPage {
  webhooks: Webhook[];
  nextCursor: string | null;
}

export type DeliveryOutcome = "delivered" | "failed";

/** One attempt to deliver one message, as recorded for `webhooks.deliveries`. */
export interface WebhookDelivery {
  /** Increasing per database; the page cursor. */
  id: number;
  webhook: string;
  /** The event the message belongs to. */
  seq: number;
  /** The message's `webhook-id`. */
  messageId: string;
  trigger: string;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status, or null when there was no answer (refused, timeout, network). */
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
  at: number;
}

export type NewWebhookDelivery = Omit<WebhookDelivery, "id">;

export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[];
  nextCursor: string | null;
}

/** A message body before the surface renders it: an idhub event, or a relationship for the Connector trigger. */
export type MessageBody =
  | { kind: "event"; event: DomainEvent }
  /** The relationship as the receiving account sees it; the server renders it as on /api/core/v1. */
  | { kind: "relationship"; relationship: Relationship };

/** One outgoing request: `{trigger, data}` signed with `webhook-id` = `id`. */
export interface WebhookMessage {
  id: string;
  trigger: string;
  seq: number;
  /** Index of this message among the event's messages, and their number. */
  part: number;
  parts: number;
  body: MessageBody;
}

export const publicWebhook = (w: StoredWebhook): Webhook => ({
  id: w.id,
  url: w.url,
  types: w.types,
  description: w.description,
  enabled: w.enabled,
  disabledReason: w.disabledReason,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
  delivery: {
    position: w.position,
    attempts: w.attempts,
    nextAttemptAt: w.attempts > 0 ? w.nextAttemptAt : null,
    failingSince: w.failingSince,
  },
});
