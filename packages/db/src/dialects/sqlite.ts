import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import type { DB } from "../schema.js";

export interface SqliteOptions {
  /**
   * `normal` (default): in WAL mode a commit survives an application crash but the last commits
   * may be lost on power loss. `full`: fsync on every commit.
   */
  sync?: "normal" | "full" | undefined;
}

const MEMORY = ":memory:";

/** `file:<path>`, `file:///abs/path` or `file::memory:` → the path better-sqlite3 opens. */
export function sqlitePath(url: string): string {
  if (url === "file::memory:") return MEMORY;
  if (url.startsWith("file://")) return fileURLToPath(url);
  const path = url.slice("file:".length);
  if (path === "") throw new Error(`Invalid SQLite database URL '${url}': expected file:<path> or file::memory:`);
  return path;
}

export interface OpenedSqlite {
  db: Kysely<DB>;
  /**
   * True when another connection (another process) committed since the last call: SQLite's
   * `PRAGMA data_version`, read from shared memory. Commits on our own connection do not count.
   * Read at most once per event-loop turn (the requests parsed in one turn share the answer; a
   * foreign commit is reported at the first call of the next turn, a few milliseconds later at
   * most): under load one turn serves dozens of requests, and the pragma was 2-4 % of case 1.
   */
  changedElsewhere(): boolean;
}

export function openSqlite(url: string, options: SqliteOptions = {}): OpenedSqlite {
  const path = sqlitePath(url);
  if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  try {
    // WAL: readers never block the writer. An in-memory database has no WAL.
    if (path !== MEMORY) database.pragma("journal_mode = WAL");
    database.pragma(`synchronous = ${options.sync === "full" ? "FULL" : "NORMAL"}`);
    // Off by default in SQLite; RESTRICT/CASCADE and cross-tenant integrity depend on it.
    database.pragma("foreign_keys = ON");
    // Another process (e.g. the CLI while the server runs) may hold the write lock briefly.
    database.pragma("busy_timeout = 5000");
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  const dataVersion = database.prepare("pragma data_version").pluck();
  let seen = dataVersion.get() as number;
  let readThisTurn = false;
  const nextTurn = () => (readThisTurn = false);
  return {
    db,
    changedElsewhere() {
      if (readThisTurn || !database.open) return false;
      readThisTurn = true;
      setImmediate(nextTurn);
      const now = dataVersion.get() as number;
      if (now === seen) return false;
      seen = now;
      return true;
    },
  };
}

/** Distinct SQL texts kept prepared; the application issues a few dozen, so this is never reached in practice. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as much as running a
 * small statement. better-sqlite3 statements are reusable, and Kysely runs one query at a time on
 * the connection (its driver holds a mutex), so one prepared statement per SQL text is safe.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDialectConfig["database"] {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = prepared.get(text);
      if (!statement) {
        if (prepared.size >= STATEMENT_CACHE_SIZE) prepared.delete(prepared.keys().next().value!);
        statement = database.prepare(text);
        prepared.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * Two corrections to Kysely's SQLite dialect.
 *
 * Kysely's SQLite transactions start with a deferred `begin`: a transaction that reads first and
 * writes later must upgrade its lock, and if another connection (another process on the same file)
 * wrote meanwhile SQLite fails it with SQLITE_BUSY at once, without waiting out busy_timeout.
 * `begin immediate` takes the write lock up front, so concurrent writers queue instead.
 *
 * Kysely also declares SQLite DDL non-transactional, so its Migrator would leave a half-applied
 * migration behind on failure. SQLite DDL is transactional; declaring it lets the Migrator run
 * pending migrations and their bookkeeping in one transaction. (A future migration that rebuilds
 * a table must use `pragma defer_foreign_keys = on`: `foreign_keys = off` is ignored inside a
 * transaction.)
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
