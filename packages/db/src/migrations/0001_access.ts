import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Accounts, roles, users, secrets, PINs and the change feed.
//
// Composite foreign keys (account, role) → roles(account, id) and (account, user_id) →
// users(account, id) make cross-tenant references impossible at the storage level: a user can only
// hold a role of its own account, a secret only belongs to a user of its own account. The unique
// (account, id) constraints they need lead with `account`, so they also serve as the per-account
// indexes for list queries.

export async function up(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull().unique())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("private_key", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema.createTable("bootstrap_marker").addColumn("id", "text", (c) => c.primaryKey()).execute();

  await db.schema
    .createTable("roles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("effect", "text", (c) => c.notNull().check(sql`effect in ('allow', 'deny')`))
    .addColumn("actions", "text")
    .addColumn("twin_rule", "text")
    .addColumn("entry_rule", "text")
    .addColumn("identity_rule", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("roles_account_id_key", ["account", "id"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("description", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("users_account_id_key", ["account", "id"])
    // RESTRICT: a role held by a user cannot be deleted, even by a transaction racing the check.
    .addForeignKeyConstraint("users_role_fkey", ["account", "role"], "roles", ["account", "id"], (c) =>
      c.onDelete("restrict"),
    )
    .execute();
  // Serves roles.isInUse and the foreign-key check when a role is deleted.
  await db.schema.createIndex("users_account_role_idx").on("users").columns(["account", "role"]).execute();

  await db.schema
    .createTable("secrets")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("validity_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addForeignKeyConstraint("secrets_user_fkey", ["account", "user_id"], "users", ["account", "id"], (c) =>
      c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("secret_pins")
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("secret_validity_at", "bigint")
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("secret_pins_pkey", ["account", "hash"])
    .addForeignKeyConstraint("secret_pins_user_fkey", ["account", "user_id"], "users", ["account", "id"], (c) =>
      c.onDelete("cascade"),
    )
    .execute();
  // Serves the cascade when a user is deleted.
  await db.schema.createIndex("secret_pins_user_idx").on("secret_pins").columns(["account", "user_id"]).execute();

  await db.schema
    .createTable("events")
    // AUTOINCREMENT (not plain rowid) so SQLite never reuses a seq; identity on PostgreSQL.
    .addColumn("seq", dialect === "sqlite" ? "integer" : "bigint", (c) =>
      dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("actor", "text")
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_account_seq_idx").on("events").columns(["account", "seq"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["events", "secret_pins", "secrets", "users", "roles", "bootstrap_marker", "accounts"]) {
    await db.schema.dropTable(table).execute();
  }
}
