import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { SqlDialect } from "../schema.js";
import * as access from "./0001_access.js";
import * as twins from "./0002_twins.js";
import * as relationshipsAndMetadata from "./0003_relationships_and_metadata.js";
import * as eventFeed from "./0004_event_feed.js";
import * as loginFailures from "./0005_login_failures.js";
import * as webhooks from "./0006_webhooks.js";
import * as accountDisable from "./0008_account_disable.js";
import * as listKeysets from "./0009_list_keysets.js";
import * as usageCounters from "./0010_usage_counters.js";
import type { DialectMigration } from "./types.js";

/**
 * Every migration, in order, by the name Kysely records in `kysely_migration`. Add new ones as
 * `<next number>_<what it creates>.ts` here; never edit or rename one that has shipped: databases
 * in the field know it by its registered name (a missing name makes the Migrator refuse to run).
 */
const MIGRATIONS: Record<string, DialectMigration> = {
  "0001_access": access,
  "0002_twins": twins,
  // The file says what it creates; the registered name is the one databases already recorded.
  "0003_connector": relationshipsAndMetadata,
  "0004_event_feed": eventFeed,
  "0005_login_failures": loginFailures,
  "0006_webhooks": webhooks,
  "0008_account_disable": accountDisable,
  "0009_list_keysets": listKeysets,
  "0010_usage_counters": usageCounters,
};

/** The in-code provider: binds each migration to the dialect it runs on. */
export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return {
    async getMigrations() {
      const bound: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) {
        const { down } = m;
        bound[name] = {
          up: (db) => m.up(db, dialect),
          ...(down ? { down: (db: Kysely<any>) => down(db, dialect) } : {}),
        };
      }
      return bound;
    },
  };
}

/**
 * Applies every pending migration; a no-op when none is pending. Pending migrations run in one
 * transaction on both dialects, so a failure leaves the database as it was; the error names the
 * migration that failed.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  dialect: SqlDialect,
  provider: MigrationProvider = migrationProvider(dialect),
): Promise<void> {
  const schema = dialect === "postgres" ? await currentSchema(db) : undefined;
  const migrator = new Migrator({
    db,
    provider,
    // Kysely looks for its bookkeeping tables in *every* schema unless told which one; on a
    // PostgreSQL database with several schemas (tests, other apps) it would find another schema's
    // table and skip creating its own. Pin it to the schema the migrations themselves land in.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's table lookup still reads every schema's catalog; one dropped meanwhile (another
  // app's, or a parallel test's) fails it with 3F000 naming *that* schema. Nothing was applied
  // then (the lookup comes first), so looking again is safe.
  for (let attempt = 1; attempt < 5 && error !== undefined && droppedMeanwhile(error, schema); attempt++) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === "Error")?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(
    failed ? `Migration ${failed} failed: ${reason}` : `Migrating the database failed: ${reason}`,
    { cause: error },
  );
}

/** Which migrations the database has applied and which are pending (`idhub doctor`); changes nothing. */
export async function migrationStatus(db: Kysely<any>, dialect: SqlDialect): Promise<{ applied: string[]; pending: string[] }> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(dialect === "postgres" ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const all = await migrator.getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

/** Names of the migrations this code knows that the database has not applied (readiness probes). */
export async function pendingMigrations(db: Kysely<any>, dialect: SqlDialect): Promise<string[]> {
  return (await migrationStatus(db, dialect)).pending;
}

const droppedMeanwhile = (error: unknown, ours: string | undefined): boolean =>
  ours !== undefined &&
  typeof error === "object" &&
  error !== null &&
  (error as { code?: unknown }).code === "3F000" &&
  !String((error as { message?: unknown }).message).includes(`"${ours}"`);

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("PostgreSQL has no current schema (check search_path)");
  return schema;
}
