import type { FailureCounter } from "@idhub/core";
import type { Kysely } from "kysely";
import type { DB } from "../schema.js";

/** Sweep rows of ended windows on about one failure in this many (cheap, keeps the table small). */
const SWEEP_EVERY = 64;

/**
 * Core's FailureCounter on the `login_failures` table: every server process on the database
 * counts into the same row per client address. `add` is a single upsert, atomic on both dialects
 * (SQLite serialises writers; PostgreSQL's ON CONFLICT locks the row), so concurrent failures from
 * many processes are all counted.
 */
export function loginFailureCounter(db: Kysely<DB>): FailureCounter {
  let sinceSweep = 0;
  return {
    async current(client, now, windowMs) {
      const row = await db
        .selectFrom("login_failures")
        .select(["failures", "window_start"])
        .where("client", "=", client)
        .where("window_start", ">", now - windowMs)
        .executeTakeFirst();
      return row && { count: row.failures, since: Number(row.window_start) };
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
