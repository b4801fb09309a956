import type { Kysely } from "kysely";
import type { FailureCounter, FeedSignal } from "@idhub/core";
import { LocalFeed } from "../feed/local-feed.js";
import { listenPostgres } from "../feed/postgres-listener.js";
import { watchSqliteFile } from "../feed/sqlite-watcher.js";
import { migrateToLatest, pendingMigrations } from "../migrations/index.js";
import type { DB, SqlDialect } from "../schema.js";
import { loginFailureCounter } from "../repositories/login-failures.js";
import { createStore, type DbStore } from "../store.js";
import { connectionConfig, openPostgres, PG_POOL_SIZE } from "./postgres.js";
import { openSqlite, sqlitePath } from "./sqlite.js";

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
  /** PostgreSQL only: how often the change feed's catch-up read runs (default 1 s). */
  feedCatchUpMs?: number | undefined;
}

export interface Database {
  readonly dialect: SqlDialect;
  /** Core's storage port, plus the commit hook and the authentication cache's invalidation (see store.ts). */
  readonly store: DbStore;
  /** Failed logins per client address, shared by every process on this database. */
  readonly failureCounter: FailureCounter;
  /**
   * The change feed's wake-up for this process: this process's commits at once, other processes'
   * on the same database within about a second. Its listener starts with the first watcher.
   */
  readonly feed: FeedSignal;
  /** The raw Kysely instance, for this package's tests and tooling; use cases go through `store`. */
  readonly db: Kysely<DB>;
  /** Applies pending migrations; a no-op when there are none. */
  migrate(): Promise<void>;
  /** Migrations this code has that the database lacks (empty when up to date). */
  pendingMigrations(): Promise<string[]>;
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
  const sqlite = dialect === "sqlite" ? openSqlite(url, { sync: options.sqliteSync }) : undefined;
  const db = sqlite?.db ?? openPostgres(url, { schema: options.pgSchema });
  const feed = new LocalFeed(
    dialect === "postgres"
      ? listenPostgres(connectionConfig(url, { schema: options.pgSchema }), db, { catchUpMs: options.feedCatchUpMs })
      : sqlitePath(url) === ":memory:"
        ? undefined // no other process can open it
        : watchSqliteFile(db),
  );
  let closing: Promise<void> | undefined;
  return {
    dialect,
    db,
    store: createStore(db, dialect, {
      guardTransactions: options.guardTransactions ?? false,
      onCommitted: (accounts) => feed.committed(accounts),
      // SQLite: one connection, one transaction group at a time; other processes' commits are seen
      // once per event-loop turn. PostgreSQL: a group per pooled connection; cached credentials live ≤ 1 s.
      ...(sqlite
        ? { maxGroups: 1, credentials: { maxAgeMs: Infinity, changedElsewhere: sqlite.changedElsewhere } }
        : { maxGroups: PG_POOL_SIZE, credentials: { maxAgeMs: 1000 } }),
    }),
    feed,
    failureCounter: loginFailureCounter(db, dialect),
    migrate: () => migrateToLatest(db, dialect),
    pendingMigrations: () => pendingMigrations(db, dialect),
    close: () => {
      feed.close();
      return (closing ??= db.destroy());
    },
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
