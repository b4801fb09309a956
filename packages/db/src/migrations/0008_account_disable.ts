import type { Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// An operator can disable an account (`idhub account disable`): its secrets stop authenticating at
// once, its data stays. NULL = enabled; otherwise when it was disabled (epoch ms). The
// authentication query filters on it, so no secret of a disabled account finds an owner.

export async function up(db: Kysely<any>, _dialect: SqlDialect): Promise<void> {
  await db.schema.alterTable("accounts").addColumn("disabled_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("accounts").dropColumn("disabled_at").execute();
}
