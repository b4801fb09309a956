import { LoginThrottle } from "@idhub/core";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/index.js";
import { testDialects } from "../../src/testing.js";
import { freshDatabase } from "../database-fixture.js";

// The failed-login counter every server process shares: one atomic upsert per failure, so
// concurrent failures from several connections (processes) are all counted.

describe.each(testDialects)("login_failures (%s)", (dialect) => {
  const fx = freshDatabase(dialect, { per: "suite" });

  it("counts every one of 50 concurrent failures of one address, in one window", async () => {
    const counter = fx.database.failureCounter;
    await Promise.all(Array.from({ length: 50 }, () => counter.add("10.0.0.1", 1_000, 60_000)));
    expect(await counter.current("10.0.0.1", 2_000, 60_000)).toEqual({ count: 50, since: 1_000 });
    expect(await counter.current("10.0.0.2", 2_000, 60_000)).toBeUndefined();
  });

  it("starts a new window once the old one has ended", async () => {
    const counter = fx.database.failureCounter;
    await counter.add("10.0.0.3", 0, 1_000);
    await counter.add("10.0.0.3", 500, 1_000);
    expect(await counter.current("10.0.0.3", 999, 1_000)).toEqual({ count: 2, since: 0 });
    expect(await counter.current("10.0.0.3", 1_000, 1_000)).toBeUndefined();
    await counter.add("10.0.0.3", 1_200, 1_000);
    expect(await counter.current("10.0.0.3", 1_300, 1_000)).toEqual({ count: 1, since: 1_200 });
  });

  it("throttles across two connections to the database as one (two processes)", async () => {
    // A second Database on the same file / schema plays the second server process.
    const now = { now: () => 10_000 };
    const options = { maxFailures: 3, windowMs: 60_000 };
    const one = new LoginThrottle(now, options, fx.database.failureCounter);
    const other = await secondConnection(fx.database, dialect);
    try {
      const two = new LoginThrottle(now, options, other.failureCounter);
      await one.recordFailure("10.0.0.9");
      await two.recordFailure("10.0.0.9");
      await expect(one.check("10.0.0.9")).resolves.toBeUndefined();
      await two.recordFailure("10.0.0.9");
      await expect(one.check("10.0.0.9")).rejects.toMatchObject({ code: "auth.throttled", details: { retryAfterSeconds: 60 } });
      await expect(two.check("10.0.0.9")).rejects.toMatchObject({ code: "auth.throttled" });
    } finally {
      await other.close();
    }
  });
});

/** Another pool on the same database (the file, or the test schema via search_path). */
async function secondConnection(database: Database, dialect: string): Promise<Database> {
  if (dialect === "sqlite") {
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(database.db);
    return openDatabase(`file:${rows[0]!.file}`);
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  return openDatabase(process.env.IDHUB_TEST_PG_URL!, { pgSchema: rows[0]!.schema });
}
