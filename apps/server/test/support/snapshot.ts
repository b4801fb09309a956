import type { TestServer } from "./server.js";

/**
 * Every stored row of every table, as one comparable string: "a failed request changed nothing"
 * is `snapshot(before) === snapshot(after)`. The tables are read from the database itself, so a new
 * table is covered without anyone remembering to list it.
 */
export async function snapshot(server: TestServer): Promise<string> {
  const { db, dialect } = server.database;
  // On PostgreSQL other test schemas share the database: only this one's tables.
  const schema =
    dialect === "postgres"
      ? (await db.selectNoFrom((eb) => eb.fn<string>("current_schema", []).as("s")).executeTakeFirstOrThrow()).s
      : undefined;
  const tables = (await db.introspection.getTables()).filter((t) => t.schema === schema).map((t) => t.name).sort();
  const rows: Record<string, string[]> = {};
  for (const table of tables) {
    const all = await db.selectFrom(table as never).selectAll().execute();
    rows[table] = all.map((row) => JSON.stringify(row, stringifyBinary)).sort();
  }
  return JSON.stringify(rows);
}

const stringifyBinary = (_key: string, value: unknown) =>
  typeof value === "bigint" ? String(value) : value instanceof Uint8Array ? Buffer.from(value).toString("hex") : value;
