import { Migrator, sql, type Kysely, type MigrationProvider } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/index.js";
import { migrateToLatest, migrationProvider } from "../src/migrations/index.js";
import { openTestDatabase, testDialects } from "../src/testing.js";
import { anAccount } from "./fixtures.js";

const TABLES = ["accounts", "bootstrap_marker", "events", "roles", "secret_pins", "secrets", "users"];

describe.each(testDialects)("migrations (%s)", (dialect) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(() => database.close());

  // Only this database's schema: on PostgreSQL other test schemas live in the same database.
  const tables = async () => {
    const schema = dialect === "postgres" ? await currentSchema() : undefined;
    const all = await database.db.introspection.getTables();
    return all.filter((t) => t.schema === schema).map((t) => t.name).sort();
  };
  const currentSchema = async () =>
    (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s;
  const applied = async () =>
    (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db)).rows.map((r) => r.name);

  it("creates the access tables", async () => {
    expect(await tables()).toEqual(TABLES);
    expect(await applied()).toEqual(["0001_access"]);
  });

  it("is a no-op when run again", async () => {
    const account = anAccount();
    await database.store.read.accounts.insert(account);
    await database.migrate();
    await database.migrate();
    expect(await applied()).toEqual(["0001_access"]);
    expect(await database.store.read.accounts.get(account.id)).toEqual(account);
  });

  it("names the failing migration and rolls its changes back", async () => {
    const real = migrationProvider(dialect);
    const broken: MigrationProvider = {
      async getMigrations() {
        return {
          ...(await real.getMigrations()),
          "0002_broken": {
            async up(db: Kysely<any>) {
              await db.schema.createTable("half_done").addColumn("id", "text").execute();
              await db.schema.createTable("accounts").addColumn("id", "text").execute(); // exists
            },
          },
        };
      },
    };
    await expect(migrateToLatest(database.db, dialect, broken)).rejects.toThrow(/^Migration 0002_broken failed: /);
    expect(await tables()).toEqual(TABLES);
    expect(await applied()).toEqual(["0001_access"]);
  });

  it("has a working down migration", async () => {
    const schema = dialect === "postgres" ? await currentSchema() : undefined;
    const migrator = new Migrator({
      db: database.db,
      provider: migrationProvider(dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error } = await migrator.migrateDown();
    expect(error).toBeUndefined();
    expect(await tables()).toEqual([]);
    await database.migrate();
    expect(await tables()).toEqual(TABLES);
  });
});
