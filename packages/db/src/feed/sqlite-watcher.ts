import type { Kysely } from "kysely";
import type { DB } from "../schema.js";
import type { LocalFeed } from "./local-feed.js";

/** How often the SQLite watcher asks whether another process committed. */
export const SQLITE_POLL_MS = 100;

/**
 * Commits of other processes on the same SQLite file. SQLite has one writer at a time, so seq
 * order is commit order across the whole table, and `max(seq)` — one lookup at the end of the
 * primary key, microseconds — rises exactly when someone commits events. When it rose, one read
 * finds which accounts got events since the last seq seen and wakes their watchers. (This
 * process's own commits are signalled by the store at once; they show up here too, harmlessly.)
 *
 * Rather than `PRAGMA data_version` (which changes on any other connection's commit, events or
 * not): max(seq) changes only when events commit, for the same single lookup.
 */
export function watchSqliteFile(db: Kysely<DB>, intervalMs = SQLITE_POLL_MS) {
  return (feed: LocalFeed): (() => void) => {
    let lastSeq: number | undefined;
    let busy = false;

    const check = async () => {
      const head = await maxSeq(db);
      if (lastSeq === undefined) {
        // The first baseline comes after the first watchers have read: a commit in between would
        // be below it and never signalled, so wake everyone once to re-read from their cursors.
        lastSeq = head;
        feed.unknownCommits();
        return;
      }
      if (head <= lastSeq) return;
      const grown = await db
        .selectFrom("events")
        .select("account")
        .distinct()
        .where("seq", ">", lastSeq)
        .where("seq", "<=", head)
        .execute();
      lastSeq = head;
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
