import type { DomainEvent } from "../events/event.js";
import type { Relationship } from "../relationships/relationship.js";
import type { WebhookMessage } from "./webhook.js";

/** The Connector webhooks module's trigger for any change of a relationship. */
export const CONNECTOR_RELATIONSHIP_TRIGGER = "transport.relationshipChanged";

/** A trigger filter entry: an exact trigger or a prefix ending in `.*` (e.g. `relationship.*`). */
export const TRIGGER_FILTER = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*(\.\*)?$/;

export function matchesTypes(types: string[] | null, trigger: string): boolean {
  if (types === null) return true;
  return types.some((t) => (t.endsWith(".*") ? trigger.startsWith(t.slice(0, -1)) : t === trigger));
}

export const isRelationshipEvent = (event: DomainEvent): boolean => event.type.startsWith("relationship.");

/**
 * The messages one event becomes for one webhook, in a fixed order: the idhub event itself
 * (`webhook-id` = the event id), then — for relationship events the receiving account can still
 * see — the Connector's `transport.relationshipChanged` (`webhook-id` = `<event id>.connector`, so
 * the two are told apart and each keeps its id on every resend). Filtered by the webhook's types.
 */
export function messagesOf(event: DomainEvent, relationship: Relationship | undefined, types: string[] | null): WebhookMessage[] {
  const candidates: Array<Omit<WebhookMessage, "part" | "parts">> = [
    { id: event.id, trigger: event.type, seq: event.seq, body: { kind: "event", event } },
  ];
  if (relationship) {
    candidates.push({
      id: `${event.id}.connector`,
      trigger: CONNECTOR_RELATIONSHIP_TRIGGER,
      seq: event.seq,
      body: { kind: "relationship", relationship },
    });
  }
  const kept = candidates.filter((m) => matchesTypes(types, m.trigger));
  return kept.map((m, part) => ({ ...m, part, parts: kept.length }));
}
