import type { FailureCounter } from "@idhub/core";
import { CompiledQuery, type Kysely } from "kysely";
import type { DB, SqlDialect } from "../schema.js";

/** Sweep rows of ended windows on about one failure in this many (cheap, keeps the table small). */
const SWEEP_EVERY = 64;

/**
 * Core's FailureCounter on the `login_failures` table: every server process on the database
 * counts into the same row per client address. `add` is a single upsert, atomic on both dialects
 * (SQLite serialises writers; PostgreSQL's ON CONFLICT locks the row), so concurrent failures from
 * many processes are all counted.
 */
export function loginFailureCounter(db: Kysely<DB>, dialect: SqlDialect): FailureCounter {
  let sinceSweep = 0;
  // Every authentication reads it (a throttled address is refused even with a valid secret), so
  // its SQL is written once rather than built by Kysely per request.
  const CURRENT =
    dialect === "postgres"
      ? "select failures, window_start from login_failures where client = $1 and window_start > $2"
      : "select failures, window_start from login_failures where client = ? and window_start > ?";
  return {
    async current(client, now, windowMs) {
      const { rows } = await db.executeQuery<{ failures: number; window_start: number | string }>(
        CompiledQuery.raw(CURRENT, [client, now - windowMs]),
      );
      const row = rows[0];
      return row && { count: Number(row.failures), since: Number(row.window_start) };
    },

    async add(client, now, windowMs) {
      const ended = now - windowMs;
      await db
        .insertInto("login_failures")
        .values({ client, window_start: now, failures: 1 })
        .onConflict((oc) =>
          oc.column("client").doUpdateSet((eb) => ({
            // A window that has ended starts over at this failure.
            failures: eb
              .case()
              .when("login_failures.window_start", "<=", ended)
              .then(1)
              .else(eb("login_failures.failures", "+", 1))
              .end(),
            window_start: eb
              .case()
              .when("login_failures.window_start", "<=", ended)
              .then(now)
              .else(eb.ref("login_failures.window_start"))
              .end(),
          })),
        )
        .execute();
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        await db.deleteFrom("login_failures").where("window_start", "<=", ended).execute();
      }
    },
  };
}
