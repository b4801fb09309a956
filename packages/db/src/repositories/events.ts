import type { DomainEvent, EventRepository, JsonValue, NewEvent } from "@idhub/core";
import { CompiledQuery, type Kysely, type Selectable } from "kysely";
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

const COLUMNS = 7;

/**
 * The insert of every write use case, as SQL text per row count (one row is the common case),
 * written once: building and compiling it with Kysely on each write cost as much as running it.
 */
const insertSql = (dialect: SqlDialect, rows: number) => {
  let n = 0;
  const p = () => (dialect === "postgres" ? `$${++n}` : "?");
  const tuples = Array.from({ length: rows }, () => `(${Array.from({ length: COLUMNS }, p).join(", ")})`);
  return `insert into events (id, account, type, subject, actor, at, data) values ${tuples.join(", ")}`;
};
const INSERT_ONE = { sqlite: insertSql("sqlite", 1), postgres: insertSql("postgres", 1) };

function insertEvents(db: Kysely<DB>, dialect: SqlDialect, events: readonly NewEvent[]) {
  const parameters: unknown[] = [];
  for (const e of events) parameters.push(e.id, e.account, e.type, e.subject, e.actor, e.at, JSON.stringify(e.data));
  const text = events.length === 1 ? INSERT_ONE[dialect] : insertSql(dialect, events.length);
  return db.executeQuery(CompiledQuery.raw(text, parameters));
}

export function eventRepository(db: Kysely<DB>, dialect: SqlDialect): EventRepository {
  return {
    async append(events) {
      if (events.length === 0) return;
      if (dialect === "sqlite") {
        // One writer at a time: seq order is commit order already.
        await insertEvents(db, dialect, events);
        return;
      }
      await inTransaction(db, async (tx) => {
        await lockFeeds(tx, events);
        await insertEvents(tx, dialect, events);
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
  if (accounts.length === 1) {
    await tx.executeQuery(CompiledQuery.raw(LOCK_ONE_FEED, accounts));
    return;
  }
  await tx.selectFrom("accounts").select("id").where("id", "in", accounts).orderBy("id").forNoKeyUpdate().execute();
}

const LOCK_ONE_FEED = "select id from accounts where id = $1 for no key update";

/** The lock only lasts until commit: outside a transaction, open one around lock + insert. */
const inTransaction = (db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<void>): Promise<void> =>
  db.isTransaction ? work(db) : db.transaction().execute(work);
