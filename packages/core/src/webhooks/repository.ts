import type { NewWebhookDelivery, StoredWebhook, WebhookDelivery } from "./webhook.js";

/** Fields a management change or a delivery step may set. */
export type WebhookPatch = Partial<
  Pick<
    StoredWebhook,
    | "url"
    | "types"
    | "description"
    | "enabled"
    | "disabledReason"
    | "secretGeneration"
    | "position"
    | "partial"
    | "attempts"
    | "nextAttemptAt"
    | "failingSince"
    | "leaseOwner"
    | "leaseUntil"
    | "updatedAt"
  >
>;

export type NewWebhook = Omit<StoredWebhook, "position" | "partial" | "attempts" | "nextAttemptAt" | "failingSince" | "leaseOwner" | "leaseUntil" | "disabledReason">;

export interface WebhookRepository {
  /** Stores a new webhook positioned at the account's newest event (it delivers what happens from now on). */
  create(webhook: NewWebhook): Promise<StoredWebhook>;
  get(account: string, id: string): Promise<StoredWebhook | undefined>;
  /** The account's webhooks by id, after `afterId`. */
  list(account: string, afterId: string | undefined, limit: number): Promise<StoredWebhook[]>;
  /** How many webhooks the account has (the webhooks quota; a few rows, read from the account's index). */
  countOwned(account: string): Promise<number>;
  update(account: string, id: string, patch: WebhookPatch): Promise<StoredWebhook | undefined>;
  delete(account: string, id: string): Promise<boolean>;

  // Delivery (system side, no principal).
  find(id: string): Promise<StoredWebhook | undefined>;
  /** Enabled webhooks, due (back-off over), unleased or with an expired lease, and with events after their position. */
  due(now: number, limit: number): Promise<StoredWebhook[]>;
  /**
   * Takes the lease if it is free or expired: one UPDATE with the condition in its WHERE, so of
   * two processes racing exactly one gets it. Returns the webhook as leased, or undefined.
   */
  acquire(id: string, owner: string, now: number, until: number): Promise<StoredWebhook | undefined>;
  /**
   * Applies `patch` only while `owner` still holds the lease.
   * False when another process has taken it over: the caller must stop delivering.
   */
  updateLeased(id: string, owner: string, patch: WebhookPatch): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;

  recordDelivery(delivery: NewWebhookDelivery): Promise<void>;
  /** Newest first, ids below `beforeId`. */
  listDeliveries(webhook: string, beforeId: number | undefined, limit: number): Promise<WebhookDelivery[]>;
  pruneDeliveries(olderThan: number): Promise<number>;
}
