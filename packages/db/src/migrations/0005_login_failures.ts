import type { Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Failed logins per client address, shared by every server process on the database (scale-out):
// one row per address and window, counted with one atomic upsert, so N processes behind a
// balancer allow exactly as many failures as one. Rows of ended windows are swept by the
// repository; the index serves that sweep.

export async function up(db: Kysely<any>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("login_failures")
    .addColumn("client", "text", (c) => c.primaryKey())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failures_window_idx").on("login_failures").column("window_start").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("login_failures").execute();
}
