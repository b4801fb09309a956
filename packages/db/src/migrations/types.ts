import type { Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

/**
 * A migration that may differ per dialect where column types do (e.g. identity columns).
 * Migrations see `Kysely<any>`: they describe the schema as it was then, not today's `DB` type.
 */
export interface DialectMigration {
  up(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
  down?(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
}
