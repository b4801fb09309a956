import type { DomainEvent, EventRepository, JsonValue, NewEvent } from "@idhub/core";
import type { Kysely, Selectable } from "kysely";
import type { DB, EventsTable, SqlDialect } from "../schema.js";

const toEvent = (row: Selectable<EventsTable>): DomainEvent => ({
  seq: row.seq,
  id: row.id,
  account: row.account,
  type: row.type,
  subject: row.subject,
  actor: row.actor,
  at: row.at,
  data: JSON.parse(row.data) as JsonValue,
});

const toRow = (e: NewEvent) => ({
  id: e.id,
  account: e.account,
  type: e.type,
  subject: e.subject,
  actor: e.actor,
  at: e.at,
  data: JSON.stringify(e.data),
});

export function eventRepository(db: Kysely<DB>, dialect: SqlDialect): EventRepository {
  return {
    async append(events) {
      if (events.length === 0) return;
      if (dialect === "sqlite") {
        // One writer at a time: seq order is commit order already.
        await db.insertInto("events").values(events.map(toRow)).execute();
        return;
      }
      await inTransaction(db, async (tx) => {
        await lockFeeds(tx, events);
        await tx.insertInto("events").values(events.map(toRow)).execute();
      });
    },

    async list(account, after, limit) {
      const rows = await db
        .selectFrom("events")
        .selectAll()
        .where("account", "=", account)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
  };
}

/**
 * PostgreSQL hands out identity values at insert time, not at commit: without this, a transaction
 * holding seq 9 could commit after one holding seq 10, and a reader resuming "after 10" would
 * never see 9. Locking the accounts' rows until commit serializes event appends per account, so
 * within a feed seq order is commit order. FOR NO KEY UPDATE does not conflict with the KEY SHARE
 * locks foreign-key checks take, so other writes referencing the account are not blocked. Sorted,
 * so two transactions appending for the same accounts lock them in the same order.
 */
async function lockFeeds(tx: Kysely<DB>, events: NewEvent[]): Promise<void> {
  const accounts = [...new Set(events.map((e) => e.account))].sort();
  await tx.selectFrom("accounts").select("id").where("id", "in", accounts).orderBy("id").forNoKeyUpdate().execute();
}

/** The lock only lasts until commit: outside a transaction, open one around lock + insert. */
const inTransaction = (db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<void>): Promise<void> =>
  db.isTransaction ? work(db) : db.transaction().execute(work);
