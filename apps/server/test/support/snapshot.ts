import { sql } from "kysely";
import type { TestServer } from "./server.js";

/**
 * Every stored row of every table, as one comparable string: "a failed request changed nothing"
 * is `snapshot(before) === snapshot(after)`. The tables are read from the database itself, so a new
 * table is covered without anyone remembering to list it.
 */
/**
 * Tables a refused request is meant to write: the shared login throttle counts failed credential
 * checks (that is its job), so they are not "data" for the "changed nothing" comparison.
 */
const BOOKKEEPING = new Set(["login_failures"]);

export async function snapshot(server: TestServer): Promise<string> {
  const { db, dialect } = server.database;
  // Only this database's (on PostgreSQL: this schema's) own tables. Not Kysely's introspector: it
  // reads every schema of the database, and other test files drop theirs concurrently, which makes
  // its catalog query fail with "schema … does not exist".
  const listed =
    dialect === "postgres"
      ? await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const tables = listed.rows.map((t) => t.name).filter((name) => !name.startsWith("kysely_") && !BOOKKEEPING.has(name)).sort();
  const rows: Record<string, string[]> = {};
  for (const table of tables) {
    const all = await db.selectFrom(table as never).selectAll().execute();
    rows[table] = all.map((row) => JSON.stringify(row, stringifyBinary)).sort();
  }
  return JSON.stringify(rows);
}

const stringifyBinary = (_key: string, value: unknown) =>
  typeof value === "bigint" ? String(value) : value instanceof Uint8Array ? Buffer.from(value).toString("hex") : value;
