import type { NewWebhookDelivery, StoredWebhook, WebhookDelivery, WebhookPatch, WebhookRepository } from "@idhub/core";
import { sql, type Kysely, type Selectable, type Updateable } from "kysely";
import type { DB, WebhookDeliveriesTable, WebhooksTable } from "../schema.js";

const toWebhook = (row: Selectable<WebhooksTable>): StoredWebhook => ({
  id: row.id,
  account: row.account,
  url: row.url,
  types: row.types === null ? null : (JSON.parse(row.types) as string[]),
  description: row.description,
  enabled: row.enabled === 1,
  disabledReason: row.disabled_reason,
  secretGeneration: Number(row.secret_generation),
  position: Number(row.position),
  partial: Number(row.partial),
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  failingSince: row.failing_since === null ? null : Number(row.failing_since),
  leaseOwner: row.lease_owner,
  leaseUntil: Number(row.lease_until),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

const toDelivery = (row: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: Number(row.id),
  webhook: row.webhook,
  seq: Number(row.seq),
  messageId: row.message_id,
  trigger: row.trigger,
  outcome: row.outcome as WebhookDelivery["outcome"],
  httpStatus: row.http_status,
  durationMs: row.duration_ms,
  error: row.error,
  at: Number(row.at),
});

/** The columns a patch sets; absent fields stay as they are. */
function columns(p: WebhookPatch): Updateable<WebhooksTable> {
  const set: Updateable<WebhooksTable> = {};
  if (p.url !== undefined) set.url = p.url;
  if (p.types !== undefined) set.types = p.types === null ? null : JSON.stringify(p.types);
  if (p.description !== undefined) set.description = p.description;
  if (p.enabled !== undefined) set.enabled = p.enabled ? 1 : 0;
  if (p.disabledReason !== undefined) set.disabled_reason = p.disabledReason;
  if (p.secretGeneration !== undefined) set.secret_generation = p.secretGeneration;
  if (p.position !== undefined) set.position = p.position;
  if (p.partial !== undefined) set.partial = p.partial;
  if (p.attempts !== undefined) set.attempts = p.attempts;
  if (p.nextAttemptAt !== undefined) set.next_attempt_at = p.nextAttemptAt;
  if (p.failingSince !== undefined) set.failing_since = p.failingSince;
  if (p.leaseOwner !== undefined) set.lease_owner = p.leaseOwner;
  if (p.leaseUntil !== undefined) set.lease_until = p.leaseUntil;
  if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
  return set;
}

export function webhookRepository(db: Kysely<DB>): WebhookRepository {
  const find = async (id: string) => {
    const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toWebhook(row);
  };

  return {
    async create(w) {
      const newest = await db
        .selectFrom("events")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .where("account", "=", w.account)
        .executeTakeFirst();
      const row = await db
        .insertInto("webhooks")
        .values({
          id: w.id,
          account: w.account,
          url: w.url,
          types: w.types === null ? null : JSON.stringify(w.types),
          description: w.description,
          enabled: w.enabled ? 1 : 0,
          disabled_reason: null,
          secret_generation: w.secretGeneration,
          position: Number(newest?.seq ?? 0),
          partial: 0,
          attempts: 0,
          next_attempt_at: 0,
          failing_since: null,
          lease_owner: null,
          lease_until: 0,
          created_at: w.createdAt,
          updated_at: w.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toWebhook(row);
    },

    async get(account, id) {
      const row = await db.selectFrom("webhooks").selectAll().where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return row && toWebhook(row);
    },

    async list(account, afterId, limit) {
      let query = db.selectFrom("webhooks").selectAll().where("account", "=", account);
      if (afterId !== undefined) query = query.where("id", ">", afterId);
      return (await query.orderBy("id").limit(limit).execute()).map(toWebhook);
    },

    async countOwned(account) {
      const row = await db
        .selectFrom("webhooks")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("account", "=", account)
        .executeTakeFirstOrThrow();
      return Number(row.n); // pg answers count(*) as a string
    },

    async update(account, id, patch) {
      const row = await db
        .updateTable("webhooks")
        .set(columns(patch))
        .where("account", "=", account)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && toWebhook(row);
    },

    async delete(account, id) {
      const result = await db.deleteFrom("webhooks").where("account", "=", account).where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    find,

    async due(now, limit) {
      const rows = await db
        .selectFrom("webhooks as w")
        .selectAll("w")
        .where("w.enabled", "=", 1)
        .where("w.next_attempt_at", "<=", now)
        .where((eb) => eb.or([eb("w.lease_owner", "is", null), eb("w.lease_until", "<", now)]))
        .where((eb) =>
          eb.or([
            eb("w.partial", ">", 0),
            eb.exists(
              eb.selectFrom("events as e").select(sql.lit(1).as("one")).whereRef("e.account", "=", "w.account").whereRef("e.seq", ">", "w.position"),
            ),
          ]),
        )
        .orderBy("w.next_attempt_at")
        .orderBy("w.id")
        .limit(limit)
        .execute();
      return rows.map(toWebhook);
    },

    async acquire(id, owner, now, until) {
      // The condition is re-checked on the row itself: on PostgreSQL a racing UPDATE waits for the
      // winner's commit and then no longer matches; on SQLite writers are serialized anyway.
      const row = await db
        .updateTable("webhooks")
        .set({ lease_owner: owner, lease_until: until })
        .where("id", "=", id)
        .where("enabled", "=", 1)
        .where((eb) => eb.or([eb("lease_owner", "is", null), eb("lease_until", "<", now)]))
        .returningAll()
        .executeTakeFirst();
      return row && toWebhook(row);
    },

    async updateLeased(id, owner, patch) {
      const result = await db.updateTable("webhooks").set(columns(patch)).where("id", "=", id).where("lease_owner", "=", owner).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async release(id, owner) {
      await db.updateTable("webhooks").set({ lease_owner: null, lease_until: 0 }).where("id", "=", id).where("lease_owner", "=", owner).execute();
    },

    async recordDelivery(d: NewWebhookDelivery) {
      await db
        .insertInto("webhook_deliveries")
        .values({
          webhook: d.webhook,
          seq: d.seq,
          message_id: d.messageId,
          trigger: d.trigger,
          outcome: d.outcome,
          http_status: d.httpStatus,
          duration_ms: d.durationMs,
          error: d.error,
          at: d.at,
        })
        .execute();
    },

    async listDeliveries(webhook, beforeId, limit) {
      let query = db.selectFrom("webhook_deliveries").selectAll().where("webhook", "=", webhook);
      if (beforeId !== undefined) query = query.where("id", "<", beforeId);
      return (await query.orderBy("id", "desc").limit(limit).execute()).map(toDelivery);
    },

    async pruneDeliveries(olderThan) {
      const result = await db.deleteFrom("webhook_deliveries").where("at", "<", olderThan).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
