import type { Kysely } from "kysely";
import { migrateToLatest } from "../migrations/index.js";
import type { DB, SqlDialect } from "../schema.js";
import { createStore, type DbStore } from "../store.js";
import { openPostgres, PG_POOL_SIZE } from "./postgres.js";
import { openSqlite } from "./sqlite.js";

export interface OpenOptions {
  /** SQLite only: `synchronous` pragma, NORMAL by default (see SqliteOptions). */
  sqliteSync?: "normal" | "full" | undefined;
  /** PostgreSQL only: work in this (existing) schema instead of the server's default search_path. */
  pgSchema?: string | undefined;
  /**
   * Refuse `store.read` and nested transactions inside a transaction callback (see createStore).
   * On for test databases; off in production, where the check would tax every promise.
   */
  guardTransactions?: boolean | undefined;
}

export interface Database {
  readonly dialect: SqlDialect;
  /** Core's storage port, plus the commit hook and the authentication cache's invalidation (see store.ts). */
  readonly store: DbStore;
  /** The raw Kysely instance, for this package's tests and tooling; use cases go through `store`. */
  readonly db: Kysely<DB>;
  /** Applies pending migrations; a no-op when there are none. */
  migrate(): Promise<void>;
  /** Closes the connection(s); safe to call more than once. */
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = "file:./data/idhub.sqlite";

/**
 * Opens `file:<path>` / `file::memory:` (SQLite) or `postgres://` / `postgresql://` (PostgreSQL).
 * Does not migrate: call `migrate()` (the server does at start).
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const dialect = dialectOf(url);
  const guardTransactions = options.guardTransactions ?? false;
  let db: Kysely<DB>;
  let store: DbStore;
  if (dialect === "sqlite") {
    const sqlite = openSqlite(url, { sync: options.sqliteSync });
    db = sqlite.db;
    // One connection: one transaction group at a time. Other processes' commits are seen per look-up.
    store = createStore(db, dialect, { guardTransactions, maxGroups: 1, credentials: { maxAgeMs: Infinity, changedElsewhere: sqlite.changedElsewhere } });
  } else {
    db = openPostgres(url, { schema: options.pgSchema });
    store = createStore(db, dialect, { guardTransactions, maxGroups: PG_POOL_SIZE, credentials: { maxAgeMs: 1000 } });
  }
  let closing: Promise<void> | undefined;
  return {
    dialect,
    db,
    store,
    migrate: () => migrateToLatest(db, dialect),
    close: () => (closing ??= db.destroy()),
  };
}

function dialectOf(url: string): SqlDialect {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgres";
  // Never echo the URL: it may carry a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? "(none)";
  throw new Error(
    `Unsupported database URL scheme '${scheme}': use file:<path>, file::memory:, postgres:// or postgresql://`,
  );
}
