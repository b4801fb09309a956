import { Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationProvider } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, migrationProvider } from "../src/migrations/index.js";
import { testDialects } from "../src/testing.js";
import { anAccount } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

const ACCESS_TABLES = ["accounts", "bootstrap_marker", "events", "roles", "secret_pins", "secrets", "users"];

describe.each(testDialects)("migrations (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  // Only this database's schema: on PostgreSQL other test schemas live in the same database. Not
  // Kysely's introspector: it reads every schema and fails when another test drops its own meanwhile.
  const tables = async () => {
    const listed =
      dialect === "postgres"
        ? await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(fx.database.db)
        : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(fx.database.db);
    return listed.rows.map((t) => t.name).filter((name) => !name.startsWith("kysely_")).sort();
  };
  const currentSchema = async () =>
    (await sql<{ s: string }>`select current_schema() as s`.execute(fx.database.db)).rows[0]!.s;
  const applied = async () =>
    (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(fx.database.db)).rows.map((r) => r.name);

  const allMigrations = async () => Object.keys(await migrationProvider(dialect).getMigrations()).sort();

  it("applies every migration, in order, starting with the access tables", async () => {
    expect(await tables()).toEqual(expect.arrayContaining(ACCESS_TABLES));
    expect(await applied()).toEqual(await allMigrations());
    expect((await allMigrations())[0]).toBe("0001_access");
  });

  it("is a no-op when run again", async () => {
    const account = anAccount();
    await fx.database.store.read.accounts.insert(account);
    const before = await tables();
    await fx.database.migrate();
    await fx.database.migrate();
    expect(await applied()).toEqual(await allMigrations());
    expect(await tables()).toEqual(before);
    expect(await fx.database.store.read.accounts.get(account.id)).toEqual(account);
  });

  it("names the failing migration and rolls its changes back", async () => {
    const real = migrationProvider(dialect);
    const broken: MigrationProvider = {
      async getMigrations() {
        return {
          ...(await real.getMigrations()),
          "9999_broken": {
            async up(db: Kysely<any>) {
              await db.schema.createTable("half_done").addColumn("id", "text").execute();
              await db.schema.createTable("accounts").addColumn("id", "text").execute(); // exists
            },
          },
        };
      },
    };
    const before = await tables();
    await expect(migrateToLatest(fx.database.db, dialect, broken)).rejects.toThrow(/^Migration 9999_broken failed: /);
    expect(await tables()).toEqual(before);
    expect(await applied()).toEqual(await allMigrations());
  });

  it("every migration has a working down migration", async () => {
    const schema = dialect === "postgres" ? await currentSchema() : undefined;
    const migrator = new Migrator({
      db: fx.database.db,
      provider: migrationProvider(dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const before = await tables();
    const { error } = await migrator.migrateTo(NO_MIGRATIONS);
    expect(error).toBeUndefined();
    expect(await tables()).toEqual([]); // Kysely's own bookkeeping tables are left out
    await fx.database.migrate();
    expect(await tables()).toEqual(before);
  });

  // The names Kysely recorded in databases that are already deployed (files may be renamed, these may not).
  const SHIPPED = ["0001_access", "0002_twins", "0003_connector", "0004_event_feed"];

  it("keeps the registered names of shipped migrations, whatever their files are called now", async () => {
    expect((await allMigrations()).slice(0, SHIPPED.length)).toEqual(SHIPPED);
  });

  it("opens and migrates a database migrated before the 0003 file was renamed", async () => {
    const schema = dialect === "postgres" ? await currentSchema() : undefined;
    const opts = schema ? { migrationTableSchema: schema } : {};
    await new Migrator({ db: fx.database.db, provider: migrationProvider(dialect), ...opts }).migrateTo(NO_MIGRATIONS);
    // As an older build ran them: the first three, recorded under the names they had then.
    const real = await migrationProvider(dialect).getMigrations();
    const older: MigrationProvider = {
      getMigrations: async () => Object.fromEntries(SHIPPED.slice(0, 3).map((name) => [name, real[name]!])),
    };
    const { error } = await new Migrator({ db: fx.database.db, provider: older, ...opts }).migrateToLatest();
    expect(error).toBeUndefined();
    expect(await applied()).toEqual(SHIPPED.slice(0, 3));
    await fx.database.migrate();
    expect(await applied()).toEqual(await allMigrations());
    const account = anAccount();
    await fx.database.store.read.accounts.insert(account);
    expect(await fx.database.store.read.accounts.get(account.id)).toEqual(account);
  });
});
