import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "./dialects/open.js";

// Test helpers for this package and for other packages' tests (`@idhub/db/testing`).

export type TestDialect = "sqlite" | "postgres";

const pgUrl = (): string | undefined => process.env.IDHUB_TEST_PG_URL || undefined;

/** ["sqlite"] plus "postgres" when IDHUB_TEST_PG_URL is set. */
export const testDialects: TestDialect[] = pgUrl() ? ["sqlite", "postgres"] : ["sqlite"];

/**
 * A fresh, migrated database: SQLite in a temp file (WAL, like production) or, on PostgreSQL, a new
 * schema `t_<random>` on IDHUB_TEST_PG_URL. `close()` also deletes the file / drops the schema.
 */
export async function openTestDatabase(dialect: TestDialect): Promise<Database> {
  const opened = dialect === "sqlite" ? await openSqliteTest() : await openPostgresTest();
  try {
    await opened.database.migrate();
  } catch (error) {
    await opened.close();
    throw error;
  }
  return { ...opened.database, close: opened.close };
}

interface Opened {
  database: Database;
  /** Closes the database and removes what the test created. */
  close(): Promise<void>;
}

async function openSqliteTest(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), "idhub-db-test-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const database = await openDatabase(`file:${join(dir, "test.sqlite")}`, { guardTransactions: true });
    return { database, close: once(async () => { await database.close(); remove(); }) };
  } catch (error) {
    remove();
    throw error;
  }
}

async function openPostgresTest(): Promise<Opened> {
  const url = pgUrl();
  if (!url) throw new Error("IDHUB_TEST_PG_URL is not set: PostgreSQL tests cannot run");
  const schema = `t_${randomBytes(8).toString("hex")}`;
  await admin(url, `create schema ${schema}`);
  const drop = () => admin(url, `drop schema if exists ${schema} cascade`);
  try {
    const database = await openDatabase(url, { pgSchema: schema, guardTransactions: true });
    return { database, close: once(async () => { await database.close(); await drop(); }) };
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * An empty PostgreSQL schema on IDHUB_TEST_PG_URL for server *processes* to share: `url` names the
 * schema itself (`options=-c search_path=…`), so a child given only IDHUB_DATABASE_URL works in it.
 */
export async function createTestSchema(): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const base = pgUrl();
  if (!base) throw new Error("IDHUB_TEST_PG_URL is not set: PostgreSQL tests cannot run");
  const schema = `t_${randomBytes(8).toString("hex")}`;
  await admin(base, `create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: once(() => admin(base, `drop schema if exists ${schema} cascade`)) };
}

/** One statement on a short-lived connection of its own (the pool may be closed by then). */
async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
