import type { Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Per-account webhooks and their outbox state. The outbox is the events table itself: each webhook
// row keeps its delivery position in the account's feed (`position`, plus `partial` messages of
// the next event), its back-off, and a lease (`lease_owner`, `lease_until`) so that of N server
// processes exactly one delivers a webhook at a time — a plain row condition, no advisory locks, so
// a dead holder's claim simply expires. No secret is stored: it is derived from the server's key
// and `secret_generation`. Booleans are 0/1 integers (better-sqlite3 cannot bind booleans).

export async function up(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("webhooks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("types", "text") // JSON array, or null = all
    .addColumn("description", "text")
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("disabled_reason", "text")
    .addColumn("secret_generation", "integer", (c) => c.notNull())
    .addColumn("position", "bigint", (c) => c.notNull())
    .addColumn("partial", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("failing_since", "bigint")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("webhooks_account_idx").on("webhooks").columns(["account", "id"]).execute();
  await db.schema.createIndex("webhooks_due_idx").on("webhooks").columns(["enabled", "next_attempt_at"]).execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", dialect === "sqlite" ? "integer" : "bigint", (c) =>
      dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn("webhook", "text", (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("http_status", "integer")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("webhook_deliveries_webhook_idx").on("webhook_deliveries").columns(["webhook", "id"]).execute();
  await db.schema.createIndex("webhook_deliveries_at_idx").on("webhook_deliveries").columns(["at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhooks").execute();
}
