import { existsSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { sqlitePath } from "./dialects/sqlite.js";
import type { DB } from "./schema.js";

/**
 * Online backup of a SQLite database while servers keep writing to it: `VACUUM INTO` copies one
 * consistent snapshot (a read transaction; in WAL mode writers are never blocked) into a new,
 * compact file. Every transaction committed before it began is in the copy. (SQLite's page-wise
 * backup API restarts whenever another process writes, so under steady load it may never finish.)
 */
export async function backupSqlite(db: Kysely<DB>, file: string): Promise<void> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} already exists: a backup never overwrites a file`);
  await sql`vacuum into ${target}`.execute(db);
}

/**
 * Restores a SQLite backup into the database at `url`, which must be empty: missing, or holding no
 * account (e.g. just migrated). The backup is checked to be an idhub database first, and copied
 * with `VACUUM INTO`, so a half-written target never passes for a restored one.
 */
export function restoreSqlite(file: string, url: string): void {
  const source = resolve(file);
  if (!existsSync(source)) throw new Error(`${source} does not exist`);
  const target = sqlitePath(url);
  if (target === ":memory:") throw new Error("cannot restore into an in-memory database");
  const backup = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    const check = backup.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`${source} is damaged (quick_check: ${String(check)})`);
    const isIdhub = backup.prepare("select 1 from sqlite_master where type = 'table' and name = 'accounts'").get();
    if (!isIdhub) throw new Error(`${source} is not an idhub database`);
    if (existsSync(target) && statSync(target).size > 0) {
      if (hasAccounts(target)) throw new Error(`${target} is not empty: restore only into an empty database`);
      for (const suffix of ["", "-wal", "-shm"]) rmSync(target + suffix, { force: true });
    }
    backup.prepare("vacuum into ?").run(target);
  } finally {
    backup.close();
  }
}

function hasAccounts(path: string): boolean {
  const existing = new BetterSqlite3(path, { fileMustExist: true });
  try {
    const table = existing.prepare("select 1 from sqlite_master where type = 'table' and name = 'accounts'").get();
    return table !== undefined && existing.prepare("select 1 from accounts limit 1").get() !== undefined;
  } finally {
    existing.close();
  }
}

/** PostgreSQL is backed up and restored with its own tools; these are the commands for `url`. */
export function postgresCommands(url: string, file: string): { backup: string; restore: string } {
  const parsed = new URL(url);
  const schema = /search_path=([a-z_][a-z0-9_]*)/.exec(parsed.searchParams.get("options") ?? "")?.[1];
  parsed.searchParams.delete("options");
  const target = quote(parsed.toString());
  const only = schema ? ` --schema=${schema}` : "";
  return {
    backup: `pg_dump --format=custom${only} --file=${quote(file)} ${target}`,
    restore: `pg_restore --exit-on-error --no-owner${only ? " --schema=" + schema : ""} --dbname=${target} ${quote(file)}`,
  };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
