import type { Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// The change feed's retention bookkeeping. When retention deletes an account's oldest events, the
// highest deleted seq is kept here per account: a reader asking for events after an older seq
// would silently miss some, so it is told its cursor expired (events.cursorExpired) instead.
// No foreign key: the mark outlives nothing and is only ever compared against.

export async function up(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("event_prune_marks")
    .addColumn("account", "text", (c) => c.primaryKey())
    .addColumn("through_seq", dialect === "sqlite" ? "integer" : "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("event_prune_marks").execute();
}
