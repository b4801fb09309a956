/**
 * The SQLite file of the bare servers (baseline, stock tRPC peer), opened with idhub's own settings
 * (packages/db: WAL, synchronous=NORMAL, foreign_keys, busy_timeout), so every ratio compares the
 * same database work. The file comes from BENCH_SQLITE_FILE.
 */
import Database from "better-sqlite3";

export function openBenchSqlite(): Database.Database {
  const file = process.env.BENCH_SQLITE_FILE;
  if (!file) throw new Error("BENCH_SQLITE_FILE is required");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}
