import { sql, type Kysely } from "kysely";
import type { DB } from "../schema.js";
import type { LocalFeed } from "./local-feed.js";

/** How often the SQLite watcher asks whether another process committed. */
export const SQLITE_POLL_MS = 100;

/**
 * Commits of other processes on the same SQLite file. `PRAGMA data_version` changes when another
 * connection has committed since the last time this connection asked — a check that reads no
 * table and costs microseconds. When it changed, one read finds which accounts got events since
 * the last seq seen (SQLite has one writer at a time, so seq order is commit order across the
 * whole table) and wakes their watchers. This process's own commits are signalled by the store.
 */
export function watchSqliteFile(db: Kysely<DB>, intervalMs = SQLITE_POLL_MS) {
  return (feed: LocalFeed): (() => void) => {
    let version: number | undefined;
    let lastSeq = 0;
    let busy = false;

    const check = async () => {
      const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
      const current = Number(rows[0]?.data_version);
      if (version === undefined) {
        version = current;
        lastSeq = await maxSeq(db);
        return;
      }
      if (current === version) return;
      version = current;
      const grown = await db
        .selectFrom("events")
        .select(["account", (eb) => eb.fn.max("seq").as("head")])
        .where("seq", ">", lastSeq)
        .groupBy("account")
        .execute();
      for (const row of grown) lastSeq = Math.max(lastSeq, Number(row.head));
      if (grown.length > 0) feed.committed(grown.map((row) => row.account));
    };

    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      // A failed check (database closing, busy) is retried on the next tick.
      check().catch(() => undefined).finally(() => (busy = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  };
}

async function maxSeq(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom("events").select((eb) => eb.fn.max("seq").as("head")).executeTakeFirst();
  return Number(row?.head ?? 0);
}
