import { CompiledQuery, type Kysely } from "kysely";
import type { DB, SqlDialect } from "../schema.js";

const USED = {
  sqlite: "select coalesce(sum(used), 0) as used from usage_counters where quota = ? and scope = ?",
  postgres: "select coalesce(sum(used), 0) as used from usage_counters where quota = $1 and scope = $2",
};

/**
 * What a quota has used in one scope (an account, a twin): the sum of the few counter shards that
 * the database's triggers keep exact on every insert and delete (migration 0010), so a quota check
 * costs the same at ten rows and at a million. Inside the writing transaction it includes that
 * transaction's own inserts, and other transactions' once they commit. (On the write path: SQL
 * written once, not built per call.)
 */
export async function usageOf(db: Kysely<DB>, dialect: SqlDialect, quota: string, scope: string): Promise<number> {
  const { rows } = await db.executeQuery<{ used: number | string }>(CompiledQuery.raw(USED[dialect], [quota, scope]));
  return Number(rows[0]?.used ?? 0);
}
