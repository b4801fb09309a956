import { stat } from "node:fs/promises";
import { sql } from "kysely";
import type { Database } from "./dialects/open.js";
import { sqlitePath } from "./dialects/sqlite.js";
import { migrationStatus } from "./migrations/index.js";

// What `idhub doctor` asks the database. Read-only: nothing here migrates or writes.

export { migrationStatus };

/** The database's clock (epoch ms): PostgreSQL's `now()` (the server's), SQLite's (this machine's). */
export async function databaseClock(database: Database): Promise<number> {
  const query =
    database.dialect === "postgres"
      ? sql<{ ms: string | number }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms`
      : sql<{ ms: string | number }>`select cast((julianday('now') - 2440587.5) * 86400000 as integer) as ms`;
  const { rows } = await query.execute(database.db);
  return Number(rows[0]!.ms);
}

/** Bytes in the SQLite write-ahead log beside the database file; undefined when there is none (or not SQLite). */
export async function sqliteWalBytes(url: string): Promise<number | undefined> {
  if (!url.startsWith("file:")) return undefined;
  const path = sqlitePath(url);
  if (path === ":memory:") return undefined;
  return stat(`${path}-wal`).then(
    (file) => file.size,
    () => undefined,
  );
}
