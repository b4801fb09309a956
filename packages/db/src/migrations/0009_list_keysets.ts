import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../schema.js";

// Bounded lists: every list is read in keyset order — (time, id) after the previous page's last
// row, `limit` rows — and each of these indexes serves one such order without a sort:
// - relationships of an account, one index per side (the repository merges the two sides);
// - own templates by (created_at, id) (supersedes (owner, created_at)), loaded ones by load time;
// - users and roles of an account by (created_at, id);
// - resolve of a name in twin order (name, twin, owner), so a popular name's pages are read from
//   the index instead of sorting every identity with that name.

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  ["relationship_templates_owner_created_idx", "relationship_templates", ["owner", "created_at", "id"]],
  ["relationship_template_loads_account_created_idx", "relationship_template_loads", ["account", "created_at", "template"]],
  ["users_account_created_idx", "users", ["account", "created_at", "id"]],
  ["roles_account_created_idx", "roles", ["account", "created_at", "id"]],
  ["identities_name_twin_idx", "identities", ["name", "twin", "owner"]],
];

// The relationship repository merges both sides in code-unit order of ids, so on PostgreSQL these
// two index (and the queries compare) ids bytewise, whatever the database's collation.
const SIDES = [
  ["relationships_from_created_idx", "from_account"],
  ["relationships_to_created_idx", "to_account"],
] as const;

export async function up(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();
  const id = dialect === "postgres" ? sql`id collate "C"` : sql`id`;
  for (const [name, column] of SIDES) {
    await sql`create index ${sql.id(name)} on relationships (${sql.id(column)}, created_at, ${id})`.execute(db);
  }
  await db.schema.dropIndex("relationship_templates_owner_idx").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("relationship_templates_owner_idx").on("relationship_templates").columns(["owner", "created_at"]).execute();
  for (const [name] of [...INDEXES, ...SIDES]) await db.schema.dropIndex(name).execute();
}
