import type { Kysely } from "kysely";
import type { DB } from "../schema.js";

/**
 * What a quota has used in one scope (an account, a twin): one point read of the counter that the
 * database's triggers keep exact on every insert and delete (migration 0010), so a quota check
 * costs the same at ten rows and at a million. Inside the writing transaction it includes that
 * transaction's own insert.
 */
export async function usageOf(db: Kysely<DB>, quota: string, scope: string): Promise<number> {
  const row = await db
    .selectFrom("usage_counters")
    .select("used")
    .where("quota", "=", quota)
    .where("scope", "=", scope)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}
