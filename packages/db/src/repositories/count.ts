import type { Kysely, SelectQueryBuilder } from "kysely";
import type { DB } from "../schema.js";

/**
 * `count(*)` of a query's rows, reading at most `atMost` of them (a LIMIT in a subquery): quota
 * checks only need to know whether a limit is passed, so their cost is bounded by the limit, not
 * by the table.
 */
export async function countAtMost(db: Kysely<DB>, query: SelectQueryBuilder<DB, any, any>, atMost: number): Promise<number> {
  const row = await db
    .selectFrom(query.limit(atMost).as("limited"))
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
