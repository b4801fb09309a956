import type { TwinIdentity } from "@idhub/core";
import { Migrator, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/index.js";
import { migrationProvider } from "../src/migrations/index.js";
import { openTestDatabase, testDialects } from "../src/testing.js";
import { anAccount, aTwin, tick } from "./fixtures.js";

const PEER = "did:e:localhost:dids:0123456789abcdef012345";

// The quota counters (migration 0010) are kept by triggers; these tests compare them with real
// counts after inserts, deletes, rolled-back writes, and after the migration backfills old rows.
describe.each(testDialects)("usage counters (%s)", (dialect) => {
  let database: Database;
  let owner: string;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    const account = anAccount();
    await database.store.read.accounts.insert(account);
    owner = account.id;
  });
  afterEach(() => database.close());

  const repos = () => database.store.read;
  const anIdentity = (twin: string, name: string): TwinIdentity => {
    const at = tick();
    return { twin, owner, name, validityAt: null, visibility: null, creator: owner, createdAt: at, updatedAt: at, version: 1 };
  };
  let n = 0;
  const upsert = (key: string) =>
    repos().identityMetadata.upsert({ id: `IDM${String(++n).padStart(17, "0")}`, owner, reference: PEER, key, valueJson: "1", at: tick() });

  it("count twins, identities per twin and metadata records exactly, on insert and delete", async () => {
    const [a, b] = [aTwin(owner), aTwin(owner)];
    await repos().twins.insert(a);
    await repos().twins.insert(b);
    await repos().identities.insertMissing([anIdentity(a.id, "x"), anIdentity(a.id, "y"), anIdentity(b.id, "z")]);
    await repos().identities.insertMissing([anIdentity(a.id, "x")]); // already there: not counted again
    await upsert("k1");
    await upsert("k2");
    await upsert("k1"); // an update, not a new record
    expect(await repos().twins.countOwned(owner)).toBe(2);
    expect(await repos().identities.countOnTwin(a.id)).toBe(2);
    expect(await repos().identities.countOnTwin(b.id)).toBe(1);
    expect(await repos().identityMetadata.countOwned(owner)).toBe(2);

    await repos().identities.delete({ twin: a.id, owner, name: "x" });
    await repos().identityMetadata.delete(owner, PEER, "k2");
    expect(await repos().identities.countOnTwin(a.id)).toBe(1);
    expect(await repos().identityMetadata.countOwned(owner)).toBe(1);
    expect(await repos().identities.countOnTwin("no-such-twin")).toBe(0);
  });

  it("include the transaction's own insert, and roll back with it", async () => {
    const failed = database.store.transaction(async (tx) => {
      await tx.identityMetadata.upsert({ id: "IDM99999999999999999", owner, reference: PEER, key: "t", valueJson: "1", at: tick() });
      expect(await tx.identityMetadata.countOwned(owner)).toBe(1);
      throw new Error("refused");
    });
    await expect(failed).rejects.toThrow("refused");
    expect(await repos().identityMetadata.countOwned(owner)).toBe(0);
  });

  it("are backfilled from the rows a database held before migration 0010", async () => {
    const twin = aTwin(owner);
    const migrator = new Migrator({
      db: database.db,
      provider: migrationProvider(dialect),
      ...(dialect === "postgres" ? { migrationTableSchema: (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s } : {}),
    });
    const down = await migrator.migrateTo("0008_account_disable");
    expect(down.error).toBeUndefined();
    await repos().twins.insert(twin);
    await repos().identities.insertMissing([anIdentity(twin.id, "a"), anIdentity(twin.id, "b")]);
    await upsert("old");
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await repos().twins.countOwned(owner)).toBe(1);
    expect(await repos().identities.countOnTwin(twin.id)).toBe(2);
    expect(await repos().identityMetadata.countOwned(owner)).toBe(1);
    await upsert("new");
    expect(await repos().identityMetadata.countOwned(owner)).toBe(2);
  });
});
