import { z } from "zod";
import { authorize, type Principal } from "../access/kernel.js";
import type { CoreDeps } from "../deps.js";
import { invalid, notFound } from "../errors.js";
import { newEvent } from "../events/new-event.js";
import type { Repositories } from "../storage.js";
import { uuid } from "../shared/names.js";
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf } from "../shared/pagination.js";
import { parseInput, type InputOf } from "../shared/validation/index.js";
import { TRIGGER_FILTER } from "./messages.js";
import { webhookSecret } from "./secret.js";
import { webhookSettings } from "./settings.js";
import { checkWebhookUrl } from "./target.js";
import { publicWebhook, type StoredWebhook, type Webhook, type WebhookDeliveryPage, type WebhookPage, type WebhookWithSecret } from "./webhook.js";
import { quotaOf, withinQuota } from "../shared/quotas.js";

export const MAX_WEBHOOK_TYPES = 50;

/** Triggers to deliver (exact, or `prefix.*`); absent or null = all. */
const types = z
  .array(z.string().max(100).regex(TRIGGER_FILTER, "must be a trigger like relationship.statusChanged or a prefix like relationship.*"))
  .min(1)
  .max(MAX_WEBHOOK_TYPES)
  .nullable()
  .optional();
const description = z.string().max(500).nullable().optional();
const page = { cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional() };
const createSchema = z.strictObject({ url: z.string(), types, description });
const updateSchema = z.strictObject({
  id: uuid,
  url: z.string().optional(),
  types,
  description,
  /** Turning a webhook back on clears its failure state and the reason it was disabled. */
  enabled: z.boolean().optional(),
});
const idSchema = z.strictObject({ id: uuid });
const listSchema = z.strictObject(page);
const deliveriesSchema = z.strictObject({ webhook: uuid, ...page });
const redeliverSchema = z.strictObject({
  id: uuid,
  /** Send again every event from this seq on (same webhook-ids); absent = retry now, skipping the back-off. */
  fromSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

export type CreateWebhookInput = InputOf<typeof createSchema>;
export type UpdateWebhookInput = InputOf<typeof updateSchema>;
export type WebhookIdInput = InputOf<typeof idSchema>;
export type ListWebhooksInput = InputOf<typeof listSchema>;
export type ListDeliveriesInput = InputOf<typeof deliveriesSchema>;
export type RedeliverInput = InputOf<typeof redeliverSchema>;

/** The single key of a cursor this module handed out (a webhook id or a delivery id). */
function cursorKey<T extends "string" | "number">(cursor: string, type: T): T extends "string" ? string : number {
  const key = decodeCursor(cursor);
  if (Array.isArray(key) && key.length === 1 && typeof key[0] === type) return key[0] as never;
  throw invalid("validation.invalidInput", "cursor: is not a cursor this list returned");
}

const webhookNotFound = () => notFound("webhook.notFound", "Webhook not found.");

async function findWebhook(tx: Repositories, principal: Principal, id: string): Promise<StoredWebhook> {
  const webhook = await tx.webhooks.get(principal.account, id);
  if (!webhook) throw webhookNotFound();
  return webhook;
}

/** Event data describing a webhook: never its secret. */
const described = (w: Pick<StoredWebhook, "url" | "types" | "enabled">) => ({ url: w.url, types: w.types, enabled: w.enabled });

export const webhookUseCases = (deps: CoreDeps) => {
  const settings = webhookSettings(deps.config);
  const secretOf = (w: StoredWebhook) => webhookSecret(settings.secretKey, w.id, w.secretGeneration);
  const withSecret = (w: StoredWebhook): WebhookWithSecret => ({ webhook: publicWebhook(w), secret: secretOf(w) });

  /**
   * A webhook hands its creator the account's whole change feed, so managing one also needs the
   * feed's own permission: no role gets the events through a webhook that it could not list.
   */
  const authorizeManaging = (principal: Principal, action: "create_webhook" | "update_webhook") => {
    authorize(principal, action);
    authorize(principal, "get_events");
  };

  return {
    /** Creates a webhook that delivers the account's events from now on; the secret is shown only here. */
    async create(principal: Principal, raw: CreateWebhookInput): Promise<WebhookWithSecret> {
      authorizeManaging(principal, "create_webhook");
      const input = parseInput(createSchema, raw);
      const url = checkWebhookUrl(input.url, settings);
      const now = deps.clock.now();
      const id = deps.ids.uuid();
      return deps.store.transaction(async (tx) => {
        const record = { id, account: principal.account, url, types: input.types ?? null, description: input.description ?? null, enabled: true };
        // Appended before the row is positioned at the newest event: the webhook does not receive its own creation.
        await tx.events.append([newEvent(deps, principal.account, "webhook.created", id, principal.user, described(record))]);
        const created = await tx.webhooks.create({ ...record, secretGeneration: 1, createdAt: now, updatedAt: now });
        // After the insert, in its transaction: a refusal rolls the webhook and its event back.
        withinQuota("webhooks", await tx.webhooks.countOwned(principal.account), quotaOf(deps.config, "webhooks"));
        return withSecret(created);
      });
    },

    async get(principal: Principal, raw: WebhookIdInput): Promise<Webhook> {
      authorize(principal, "get_webhooks");
      const { id } = parseInput(idSchema, raw);
      return publicWebhook(await findWebhook(deps.store.read, principal, id));
    },

    async list(principal: Principal, raw: ListWebhooksInput = {}): Promise<WebhookPage> {
      authorize(principal, "get_webhooks");
      const input = parseInput(listSchema, raw);
      const limit = input.limit ?? DEFAULT_PAGE_SIZE;
      const after = input.cursor === undefined ? undefined : cursorKey(input.cursor, "string");
      const rows = await deps.store.read.webhooks.list(principal.account, after, limit + 1);
      const { page, nextCursor } = pageOf(rows, limit, (w) => [w.id]);
      return { webhooks: page.map(publicWebhook), nextCursor };
    },

    async update(principal: Principal, raw: UpdateWebhookInput): Promise<Webhook> {
      authorizeManaging(principal, "update_webhook");
      const input = parseInput(updateSchema, raw);
      const url = input.url === undefined ? undefined : checkWebhookUrl(input.url, settings);
      const now = deps.clock.now();
      return deps.store.transaction(async (tx) => {
        const current = await findWebhook(tx, principal, input.id);
        const reenabled = input.enabled === true && !current.enabled;
        const updated = await tx.webhooks.update(principal.account, input.id, {
          ...(url !== undefined ? { url } : {}),
          ...(input.types !== undefined ? { types: input.types } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(input.enabled === false ? { disabledReason: null } : {}),
          ...(reenabled ? { disabledReason: null, attempts: 0, failingSince: null, nextAttemptAt: 0 } : {}),
          updatedAt: now,
        });
        if (!updated) throw webhookNotFound();
        await tx.events.append([newEvent(deps, principal.account, "webhook.updated", updated.id, principal.user, described(updated))]);
        return publicWebhook(updated);
      });
    },

    async delete(principal: Principal, raw: WebhookIdInput): Promise<void> {
      authorize(principal, "delete_webhook");
      const { id } = parseInput(idSchema, raw);
      await deps.store.transaction(async (tx) => {
        if (!(await tx.webhooks.delete(principal.account, id))) throw webhookNotFound();
        await tx.events.append([newEvent(deps, principal.account, "webhook.deleted", id, principal.user)]);
      });
    },

    /** Recent delivery attempts, newest first. */
    async deliveries(principal: Principal, raw: ListDeliveriesInput): Promise<WebhookDeliveryPage> {
      authorize(principal, "get_webhooks");
      const input = parseInput(deliveriesSchema, raw);
      const limit = input.limit ?? DEFAULT_PAGE_SIZE;
      const before = input.cursor === undefined ? undefined : cursorKey(input.cursor, "number");
      await findWebhook(deps.store.read, principal, input.webhook);
      const rows = await deps.store.read.webhooks.listDeliveries(input.webhook, before, limit + 1);
      const { page, nextCursor } = pageOf(rows, limit, (d) => [d.id]);
      return { deliveries: page, nextCursor };
    },

    /**
     * Retries now, or rewinds to `fromSeq` so those events are sent again with their original
     * webhook-ids. Drops the current delivery claim so the rewind is not overwritten by a delivery
     * finishing in flight (that one may still arrive: at-least-once).
     */
    async redeliver(principal: Principal, raw: RedeliverInput): Promise<Webhook> {
      authorizeManaging(principal, "update_webhook");
      const input = parseInput(redeliverSchema, raw);
      return deps.store.transaction(async (tx) => {
        await findWebhook(tx, principal, input.id);
        const updated = await tx.webhooks.update(principal.account, input.id, {
          ...(input.fromSeq !== undefined ? { position: input.fromSeq - 1, partial: 0 } : {}),
          attempts: 0,
          nextAttemptAt: 0,
          failingSince: null,
          leaseOwner: null,
          leaseUntil: 0,
          updatedAt: deps.clock.now(),
        });
        return publicWebhook(updated!);
      });
    },

    /** A new secret, effective at once for every following request. */
    async rotateSecret(principal: Principal, raw: WebhookIdInput): Promise<WebhookWithSecret> {
      authorizeManaging(principal, "update_webhook");
      const { id } = parseInput(idSchema, raw);
      return deps.store.transaction(async (tx) => {
        const current = await findWebhook(tx, principal, id);
        const updated = await tx.webhooks.update(principal.account, id, {
          secretGeneration: current.secretGeneration + 1,
          updatedAt: deps.clock.now(),
        });
        await tx.events.append([newEvent(deps, principal.account, "webhook.secretRotated", id, principal.user)]);
        return withSecret(updated!);
      });
    },
  };
};
