import type { WebhookMessage } from "@idhub/core";
import { Webhook } from "standardwebhooks";
import { renderRelationship } from "../connector/routes/relationships.js";

/**
 * The JSON body, shaped like the Connector's webhooks module: `{trigger, data}`. An idhub event is
 * sent as the change feed shows it; the Connector trigger carries the relationship exactly as the
 * receiving account's `GET /api/core/v1/Relationships/{id}` renders it (the adapter's own renderer).
 */
export function payloadOf(message: WebhookMessage): string {
  const data = message.body.kind === "event" ? message.body.event : renderRelationship("v7", message.body.relationship);
  return JSON.stringify({ trigger: message.trigger, data });
}

/** Standard Webhooks headers: `webhook-id` stays the same on every resend, the timestamp is the send time. */
export function signedHeaders(secret: string, message: WebhookMessage, body: string, at: Date): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "idhub-webhooks",
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, at, body),
  };
}
