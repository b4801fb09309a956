import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Relationship templates (with their loads and tokens), relationships and identity metadata: the
// state behind the Connector-compatible surface.
//
// Uniqueness the domain promises lives in indexes, never in find-then-insert:
// - identity_metadata: one row per (owner, reference, has_key, key). `key` is NOT NULL ('' when
//   there is no key) and `has_key` tells "no key" from the key "", because SQLite treats NULLs in
//   a unique index as distinct (a NULL key would let duplicate "no key" rows in).
// - relationships: at most one open (Pending, Active, Terminated, DeletionProposed) relationship
//   per pair of accounts — a partial unique index on the unordered pair.
// Booleans are 0/1 integers (better-sqlite3 cannot bind booleans).

export async function up(db: Kysely<any>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("relationship_templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("max_allocations", "integer")
    .addColumn("allocations", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("for_identity", "text")
    .addColumn("password", "text")
    .addColumn("password_is_pin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("secret_key", "text", (c) => c.notNull())
    .addColumn("deleted_at", "bigint")
    .execute();
  await db.schema
    .createIndex("relationship_templates_owner_idx")
    .on("relationship_templates")
    .columns(["owner", "created_at"])
    .execute();

  await db.schema
    .createTable("relationship_template_loads")
    .addColumn("template", "text", (c) => c.notNull().references("relationship_templates.id"))
    .addColumn("account", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("password", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("relationship_template_loads_pkey", ["account", "template"])
    .execute();

  await db.schema
    .createTable("relationship_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull().references("relationship_templates.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("is_ephemeral", "integer", (c) => c.notNull())
    .addColumn("for_identity", "text")
    .addColumn("password", "text")
    .addColumn("password_is_pin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("secret_key", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("relationships")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("template_id", "text", (c) => c.notNull().references("relationship_templates.id"))
    .addColumn("from_account", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("to_account", "text", (c) => c.notNull().references("accounts.id"))
    // The unordered pair: min(from, to) || '|' || max(from, to).
    .addColumn("pair_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('Pending', 'Active', 'Rejected', 'Revoked', 'Terminated', 'DeletionProposed')`),
    )
    .addColumn("creation_content", "text", (c) => c.notNull())
    .addColumn("audit_log", "text", (c) => c.notNull())
    .addColumn("from_decomposed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("to_decomposed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  // One open relationship per pair of accounts: these statuses block a new one (Rejected and Revoked do not).
  await sql`create unique index relationships_open_pair_idx on relationships (pair_key)
    where status in ('Pending', 'Active', 'Terminated', 'DeletionProposed')`.execute(db);
  // Listing and the familiarity check go through either side.
  await db.schema.createIndex("relationships_from_idx").on("relationships").columns(["from_account", "to_account"]).execute();
  await db.schema.createIndex("relationships_to_idx").on("relationships").columns(["to_account", "from_account"]).execute();

  await db.schema
    .createTable("identity_metadata")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("has_key", "integer", (c) => c.notNull().check(sql`has_key in (0, 1)`))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    // "No key" is stored as has_key = 0 and key = '' (and nothing else).
    .addCheckConstraint("identity_metadata_no_key_check", sql`has_key = 1 or key = ''`)
    .addUniqueConstraint("identity_metadata_owner_reference_key_key", ["owner", "reference", "has_key", "key"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "identity_metadata",
    "relationships",
    "relationship_tokens",
    "relationship_template_loads",
    "relationship_templates",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
