import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Twins and twin identities.
//
// identities: the primary key (twin, owner, name) is the domain's identity key and, leading with
// twin, also serves listing a twin's identities. `identities_name_owner_idx` serves resolve: a name
// (and, for personal/account contexts, its owners) is found from the index, never by a scan.

export async function up(db: Kysely<any>, _dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("twins")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('alive', 'terminated')`))
    .addColumn("description", "text")
    .addColumn("creator", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("terminated_at", "bigint")
    .addColumn("terminated_by", "text")
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  // An owner's twins in keyset order (twins.list).
  await db.schema.createIndex("twins_owner_created_idx").on("twins").columns(["owner", "created_at", "id"]).execute();

  await db.schema
    .createTable("identities")
    .addColumn("twin", "text", (c) => c.notNull().references("twins.id"))
    .addColumn("owner", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("validity_at", "bigint")
    .addColumn("visibility", "text")
    .addColumn("creator", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("identities_pkey", ["twin", "owner", "name"])
    .execute();
  await db.schema.createIndex("identities_name_owner_idx").on("identities").columns(["name", "owner"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("identities").execute();
  await db.schema.dropTable("twins").execute();
}
