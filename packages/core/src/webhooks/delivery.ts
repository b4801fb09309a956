import type { CoreDeps } from "../deps.js";
import { newEvent } from "../events/new-event.js";
import { relationshipSeenBy, type Relationship, type TemplateLookup } from "../relationships/index.js";
import type { Repositories } from "../storage.js";
import { retryDelay, type RetryPolicy } from "./backoff.js";
import { isRelationshipEvent, messagesOf } from "./messages.js";
import { webhookSecret } from "./secret.js";
import { webhookSettings } from "./settings.js";
import type { StoredWebhook, WebhookMessage } from "./webhook.js";

// The outbox side of webhooks, used by the server's delivery worker (no principal: the system
// acts for the webhook's account). The rules live here — what is due, which messages an event
// becomes, how a success moves the position, how a failure backs off and when it disables — and
// the worker only does the HTTP. Every write is fenced by the lease: a process that has lost its
// claim (it stalled past the lease and another took over) cannot move the position any more.

/** How one attempt went, as the worker measured it. */
export interface AttemptResult {
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

export interface NextMessages {
  webhook: StoredWebhook;
  /** The Standard Webhooks secret to sign with; never log it. */
  secret: string;
  /** In order; empty when nothing is pending. */
  messages: WebhookMessage[];
}

export type FailureOutcome = { kind: "retry"; at: number } | { kind: "disabled"; reason: string } | { kind: "lost" };

const EVENTS_PER_BATCH = 50;
/** Batches of events that all fall outside the webhook's types, skipped in one call before yielding. */
const MAX_SKIPPED_BATCHES = 20;

export const webhookDeliveryUseCases = (deps: CoreDeps, templates: TemplateLookup) => {
  const { secretKey } = webhookSettings(deps.config);

  /** The messages of a batch of events, starting after the webhook's position. */
  async function messagesAfter(tx: Repositories, w: StoredWebhook): Promise<{ messages: WebhookMessage[]; lastSeq: number | undefined }> {
    // partial > 0: the event at `position` is half delivered, so read it again and skip what went out.
    const events = await tx.events.list(w.account, w.partial > 0 ? w.position - 1 : w.position, EVENTS_PER_BATCH);
    const messages: WebhookMessage[] = [];
    for (const event of events) {
      const current = isRelationshipEvent(event) ? await relationshipSeenBy(templates, tx, w.account, event.subject) : undefined;
      const relationship = current && asOf(current, event.at);
      const all = messagesOf(event, relationship, w.types);
      messages.push(...(event.seq === w.position ? all.slice(w.partial) : all));
    }
    return { messages, lastSeq: events[events.length - 1]?.seq };
  }

  return {
    /** Leases up to `limit` due webhooks for `owner`. */
    async claim(owner: string, limit: number, policy: Pick<RetryPolicy, "leaseMs">): Promise<StoredWebhook[]> {
      if (limit <= 0) return [];
      const now = deps.clock.now();
      const due = await deps.store.read.webhooks.due(now, limit);
      const claimed: StoredWebhook[] = [];
      for (const w of due) {
        const leased = await deps.store.read.webhooks.acquire(w.id, owner, now, now + policy.leaseMs);
        if (leased) claimed.push(leased);
      }
      return claimed;
    },

    /**
     * The next messages of a leased webhook, read fresh (an update of url or types applies from
     * here on). Events none of whose messages the webhook wants are stepped over. Undefined when
     * the lease is gone or the webhook was disabled or deleted.
     */
    async next(id: string, owner: string): Promise<NextMessages | undefined> {
      for (let batch = 0; batch < MAX_SKIPPED_BATCHES; batch++) {
        const w = await deps.store.read.webhooks.find(id);
        if (!w || !w.enabled || w.leaseOwner !== owner) return undefined;
        const { messages, lastSeq } = await messagesAfter(deps.store.read, w);
        if (messages.length > 0 || lastSeq === undefined) {
          return { webhook: w, secret: webhookSecret(secretKey, w.id, w.secretGeneration), messages };
        }
        if (!(await deps.store.read.webhooks.updateLeased(id, owner, { position: lastSeq, partial: 0 }))) return undefined;
      }
      return undefined; // a long run of filtered events: the next claim continues from here
    },

    /** A 2xx: the position moves past the message and the failure state resets. False when the lease was lost. */
    async delivered(id: string, owner: string, message: WebhookMessage, attempt: AttemptResult, policy: Pick<RetryPolicy, "leaseMs">): Promise<boolean> {
      const now = deps.clock.now();
      const last = message.part + 1 >= message.parts;
      return deps.store.transaction(async (tx) => {
        const moved = await tx.webhooks.updateLeased(id, owner, {
          position: message.seq,
          partial: last ? 0 : message.part + 1,
          attempts: 0,
          failingSince: null,
          nextAttemptAt: 0,
          leaseUntil: now + policy.leaseMs,
        });
        if (moved) await tx.webhooks.recordDelivery(record(id, message, attempt, "delivered", now));
        return moved;
      });
    },

    /**
     * Anything but a 2xx (or no answer in time): back off with jitter and give the lease back, so
     * after the back-off any process may retry; after `disableAfterMs` of failures, disable the
     * webhook with a reason and a `webhook.disabled` event.
     */
    async failed(id: string, owner: string, message: WebhookMessage, attempt: AttemptResult, policy: RetryPolicy): Promise<FailureOutcome> {
      const now = deps.clock.now();
      return deps.store.transaction(async (tx): Promise<FailureOutcome> => {
        const w = await tx.webhooks.find(id);
        if (!w || w.leaseOwner !== owner) return { kind: "lost" };
        const attempts = w.attempts + 1;
        const failingSince = w.failingSince ?? now;
        const release = { leaseOwner: null, leaseUntil: 0 };
        let outcome: FailureOutcome;
        if (now - failingSince >= policy.disableAfterMs) {
          const reason = `Deliveries failed for ${Math.round((now - failingSince) / 60_000)} minutes (last: ${attempt.error ?? `HTTP ${attempt.httpStatus}`}).`;
          await tx.webhooks.updateLeased(id, owner, { enabled: false, disabledReason: reason, attempts, failingSince, updatedAt: now, ...release });
          await tx.events.append([newEvent(deps, w.account, "webhook.disabled", id, null, { reason, failingSince, attempts })]);
          outcome = { kind: "disabled", reason };
        } else {
          const at = now + retryDelay(attempts, policy);
          await tx.webhooks.updateLeased(id, owner, { attempts, failingSince, nextAttemptAt: at, ...release });
          outcome = { kind: "retry", at };
        }
        await tx.webhooks.recordDelivery(record(id, message, attempt, "failed", now));
        return outcome;
      });
    },

    /** Extends the lease while a delivery is in flight; false when another process holds it now. */
    renew: (id: string, owner: string, policy: Pick<RetryPolicy, "leaseMs">): Promise<boolean> =>
      deps.store.read.webhooks.updateLeased(id, owner, { leaseUntil: deps.clock.now() + policy.leaseMs }),

    release: (id: string, owner: string): Promise<void> => deps.store.read.webhooks.release(id, owner),

    /**
     * Calls `wake` when events may have committed (this process at once, others within about a
     * second: the feed's signal). A hint only; the worker's periodic poll catches up regardless.
     */
    onNewEvents: (wake: () => void): (() => void) => deps.feed?.watchAll(() => wake()) ?? (() => {}),

    /** Forgets delivery attempts older than `ageMs`. */
    prune: (ageMs: number): Promise<number> => deps.store.read.webhooks.pruneDeliveries(deps.clock.now() - ageMs),
  };
};

/**
 * The relationship as it was when the event happened, not as it is now (a late delivery of
 * "created" must not say Active): the audit log is append-only and every status change adds one
 * entry, written just before its event, so the entries up to the event's time and the status of
 * the last of them are that state. Two changes within the same millisecond are told apart no
 * further (the later one then shows in both).
 */
function asOf(relationship: Relationship, at: number): Relationship {
  const auditLog = relationship.auditLog.filter((e) => e.createdAt <= at);
  const last = auditLog[auditLog.length - 1];
  return last ? { ...relationship, auditLog, status: last.newStatus } : relationship;
}

const record = (webhook: string, m: WebhookMessage, a: AttemptResult, outcome: "delivered" | "failed", at: number) => ({
  webhook,
  seq: m.seq,
  messageId: m.id,
  trigger: m.trigger,
  outcome,
  httpStatus: a.httpStatus,
  durationMs: Math.round(a.durationMs),
  error: a.error === null ? null : a.error.slice(0, 500),
  at,
});

export type WebhookDelivery = ReturnType<typeof webhookDeliveryUseCases>;
