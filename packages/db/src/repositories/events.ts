import type { DomainEvent, EventRepository, JsonValue, NewEvent, TypeFilter } from "@idhub/core";
import { CompiledQuery, sql, type ExpressionBuilder, type Kysely, type Selectable } from "kysely";
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
// A group commit appends up to its size at once; texts up to that many rows are kept.
const MAX_KEPT_ROWS = 64;
const insertTexts = { sqlite: new Map<number, string>(), postgres: new Map<number, string>() };
const insertText = (dialect: SqlDialect, rows: number) => {
  let text = insertTexts[dialect].get(rows);
  if (text === undefined) {
    text = insertSql(dialect, rows);
    if (rows <= MAX_KEPT_ROWS) insertTexts[dialect].set(rows, text);
  }
  return text;
};

/** Rows per statement: far below both dialects' bound on parameters per statement. */
const CHUNK_ROWS = 500;

async function insertEvents(db: Kysely<DB>, dialect: SqlDialect, events: readonly NewEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += CHUNK_ROWS) {
    const chunk = events.slice(start, start + CHUNK_ROWS);
    const parameters: unknown[] = [];
    for (const e of chunk) parameters.push(e.id, e.account, e.type, e.subject, e.actor, e.at, JSON.stringify(e.data));
    await db.executeQuery(CompiledQuery.raw(insertText(dialect, chunk.length), parameters));
  }
}

/** Told which accounts' feeds an append grew (the store signals them once the transaction commits). */
export type OnAppended = (accounts: readonly string[]) => void;

export function eventRepository(db: Kysely<DB>, dialect: SqlDialect, onAppended?: OnAppended): EventRepository {
  return {
    async append(events) {
      if (events.length === 0) return;
      if (dialect === "sqlite") {
        // One writer at a time: seq order is commit order already. Other processes notice the
        // commit by polling max(seq) (feed/sqlite-watcher.ts).
        await insertEvents(db, dialect, events);
      } else {
        await inTransaction(db, async (tx) => {
          await lockAndAnnounceFeeds(tx, events);
          await insertEvents(tx, dialect, events);
        });
      }
      onAppended?.(accountsOf(events));
    },

    async list(account, after, limit, types) {
      let query = db
        .selectFrom("events")
        .selectAll()
        .where("account", "=", account)
        .where("seq", ">", after);
      if (types) query = query.where((eb) => matchingTypes(eb, types));
      const rows = await query.orderBy("seq").limit(limit).execute();
      return rows.map(toEvent);
    },

    async seqOf(account, id) {
      const row = await db.selectFrom("events").select("seq").where("id", "=", id).where("account", "=", account).executeTakeFirst();
      return row?.seq;
    },

    async prunedThrough(account) {
      const row = await db.selectFrom("event_prune_marks").select("through_seq").where("account", "=", account).executeTakeFirst();
      return row?.through_seq ?? 0;
    },

    async prune(before, limit) {
      // The oldest events by seq, up to the first one that is not old enough: `at` comes from the
      // writers' clocks and may not rise strictly with seq, so stopping there guarantees nothing
      // newer than `before` is deleted. Reads the primary key's head only: no index on `at` needed.
      const head = await db.selectFrom("events").select(["seq", "account", "at"]).orderBy("seq").limit(limit).execute();
      const firstKept = head.findIndex((row) => row.at >= before);
      const old = firstKept === -1 ? head : head.slice(0, firstKept);
      if (old.length === 0) return 0;
      const marks = new Map<string, number>();
      for (const row of old) marks.set(row.account, Math.max(marks.get(row.account) ?? 0, row.seq));
      await db
        .insertInto("event_prune_marks")
        .values([...marks].map(([account, through_seq]) => ({ account, through_seq })))
        .onConflict((oc) =>
          oc.column("account").doUpdateSet({
            through_seq: dialect === "sqlite" ? sql`max(through_seq, excluded.through_seq)` : sql`greatest(event_prune_marks.through_seq, excluded.through_seq)`,
          }),
        )
        .execute();
      await db.deleteFrom("events").where("seq", "in", old.map((row) => row.seq)).execute();
      return old.length;
    },
  };
}

const accountsOf = (events: NewEvent[]): string[] => [...new Set(events.map((e) => e.account))];

/** `type IN (exact…) OR substr(type, 1, n) = prefix…` — substr, not LIKE: SQLite's LIKE ignores case. */
function matchingTypes(eb: ExpressionBuilder<DB, "events">, types: TypeFilter) {
  return eb.or([
    ...(types.exact.length > 0 ? [eb("type", "in", types.exact)] : []),
    ...types.prefixes.map((prefix) => eb(sql<string>`substr(type, 1, ${prefix.length})`, "=", prefix)),
  ]);
}

/**
 * The PostgreSQL NOTIFY channel of this schema's feed (feed/postgres-listener.ts LISTENs to it).
 * Per schema, so several idhub databases in one PostgreSQL database do not wake each other; cut
 * to stay within PostgreSQL's 63-byte identifiers (a shared prefix only means spurious wake-ups).
 */
export const FEED_CHANNEL_EXPRESSION = "'idhub_events.' || left(current_schema(), 40)";

/**
 * PostgreSQL hands out identity values at insert time, not at commit: without a lock, a
 * transaction holding seq 9 could commit after one holding seq 10, and a reader resuming "after
 * 10" would never see 9. Locking the accounts' rows until commit serializes event appends per
 * account, so within a feed seq order is commit order. FOR NO KEY UPDATE does not conflict with
 * the KEY SHARE locks foreign-key checks take, so other writes referencing the account are not
 * blocked. Sorted, so two transactions appending for the same accounts lock them in the same order.
 *
 * The same statement announces the commit to every server process (the one NOTIFY of the write
 * path): pg_notify is transactional — delivered at commit, dropped on rollback, repeats within a
 * transaction merged — and riding on the lock costs no extra round trip. The payload is the
 * account id; listeners treat it as a wake-up only, the events table stays the truth.
 */
async function lockAndAnnounceFeeds(tx: Kysely<DB>, events: NewEvent[]): Promise<void> {
  const accounts = accountsOf(events).sort();
  if (accounts.length === 1) {
    // The common case, as SQL written once (the statement below, for one account).
    await tx.executeQuery(CompiledQuery.raw(LOCK_AND_ANNOUNCE_ONE, accounts));
    return;
  }
  await tx
    .selectFrom("accounts")
    .select(["id", sql`pg_notify(${sql.raw(FEED_CHANNEL_EXPRESSION)}, id)`.as("announced")])
    .where("id", "in", accounts)
    .orderBy("id")
    .forNoKeyUpdate()
    .execute();
}

const LOCK_AND_ANNOUNCE_ONE =
  `select id, pg_notify(${FEED_CHANNEL_EXPRESSION}, id) as announced from accounts where id = $1 for no key update`;

/** The lock only lasts until commit: outside a transaction, open one around lock + insert. */
const inTransaction = (db: Kysely<DB>, work: (tx: Kysely<DB>) => Promise<void>): Promise<void> =>
  db.isTransaction ? work(db) : db.transaction().execute(work);
