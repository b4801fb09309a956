import { statSync } from "node:fs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../src/index.js";
import { openTestDatabase } from "../src/testing.js";
import { aPin, anEvent, seedTenant } from "./fixtures.js";

// architecture.md: an unfinalized `INSERT … RETURNING` statement blocks WAL checkpoints and the
// WAL then grows without bound under load. Sustained writes through the store, including
// DELETE … RETURNING (takePin), must leave the WAL near its auto-checkpoint size (~4 MB).
const WRITES = 20_000;
const WAL_BOUND = 64 * 1024 * 1024;

describe("SQLite WAL under sustained writes", () => {
  let database: Database;
  afterEach(() => database.close());

  it(`stays under ${WAL_BOUND / 2 ** 20} MB over ${WRITES} writes`, { timeout: 120_000 }, async () => {
    database = await openTestDatabase("sqlite");
    const walFile = `${await mainFile(database)}-wal`;
    const { account, user } = await seedTenant(database.store.read);
    let largest = 0;
    for (let i = 0; i < WRITES; i++) {
      if (i % 3 === 0) {
        await database.store.read.events.append([anEvent(account.id, { data: { i, pad: "x".repeat(200) } })]);
      } else {
        await database.store.transaction(async (tx) => {
          const pin = aPin(account.id, user.id);
          await tx.secrets.insertPin(pin);
          await tx.secrets.takePin(account.id, pin.hash);
        });
      }
      await database.store.read.secrets.findOwnerByHash("0".repeat(64));
      if (i % 1000 === 0) largest = Math.max(largest, statSync(walFile).size);
    }
    largest = Math.max(largest, statSync(walFile).size);
    expect(largest).toBeGreaterThan(0); // the WAL is really in use
    expect(largest).toBeLessThan(WAL_BOUND);
  });
});

/** The path of the main database file, as SQLite sees it. */
async function mainFile(database: Database): Promise<string> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(database.db);
  const main = rows.find((r) => r.name === "main")?.file;
  if (!main) throw new Error("no main database file");
  return main;
}
