import type { TwinIdentity } from "@idhub/core";
import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrationProvider } from "../src/migrations/index.js";
import { testDialects } from "../src/testing.js";
import { aTwin, tick } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

const PEER = "did:e:localhost:dids:0123456789abcdef012345";

// The quota counters (migration 0010) are kept by triggers; these tests compare them with real
// counts after inserts, deletes, rolled-back writes, and after the migration backfills old rows.
describe.each(testDialects)("usage counters (%s)", (dialect) => {
  const fx = freshDatabase(dialect, { owner: true });

  const repos = () => fx.database.store.read;
  const anIdentity = (twin: string, name: string): TwinIdentity => {
    const at = tick();
    return { twin, owner: fx.owner, name, validityAt: null, visibility: null, creator: fx.owner, createdAt: at, updatedAt: at, version: 1 };
  };
  let n = 0;
  const upsert = (key: string) =>
    repos().identityMetadata.upsert({ id: `IDM${String(++n).padStart(17, "0")}`, owner: fx.owner, reference: PEER, key, valueJson: "1", at: tick() });

  it("count twins, identities per twin and metadata records exactly, on insert and delete", async () => {
    const [a, b] = [aTwin(fx.owner), aTwin(fx.owner)];
    await repos().twins.insert(a);
    await repos().twins.insert(b);
    await repos().identities.insertMissing([anIdentity(a.id, "x"), anIdentity(a.id, "y"), anIdentity(b.id, "z")]);
    await repos().identities.insertMissing([anIdentity(a.id, "x")]); // already there: not counted again
    await upsert("k1");
    await upsert("k2");
    await upsert("k1"); // an update, not a new record
    expect(await repos().twins.countOwned(fx.owner)).toBe(2);
    expect(await repos().identities.countOnTwin(a.id)).toBe(2);
    expect(await repos().identities.countOnTwin(b.id)).toBe(1);
    expect(await repos().identityMetadata.countOwned(fx.owner)).toBe(2);

    await repos().identities.delete({ twin: a.id, owner: fx.owner, name: "x" });
    await repos().identityMetadata.delete(fx.owner, PEER, "k2");
    expect(await repos().identities.countOnTwin(a.id)).toBe(1);
    expect(await repos().identityMetadata.countOwned(fx.owner)).toBe(1);
    expect(await repos().identities.countOnTwin("no-such-twin")).toBe(0);
  });

  it("include the transaction's own insert, and roll back with it", async () => {
    const failed = fx.database.store.transaction(async (tx) => {
      await tx.identityMetadata.upsert({ id: "IDM99999999999999999", owner: fx.owner, reference: PEER, key: "t", valueJson: "1", at: tick() });
      expect(await tx.identityMetadata.countOwned(fx.owner)).toBe(1);
      throw new Error("refused");
    });
    await expect(failed).rejects.toThrow("refused");
    expect(await repos().identityMetadata.countOwned(fx.owner)).toBe(0);
  });

  it("are backfilled from the rows a database held before migration 0010", async () => {
    const twin = aTwin(fx.owner);
    const migrator = new Migrator({
      db: fx.database.db,
      provider: migrationProvider(dialect),
      ...(dialect === "postgres" ? { migrationTableSchema: (await sql<{ s: string }>`select current_schema() as s`.execute(fx.database.db)).rows[0]!.s } : {}),
    });
    const down = await migrator.migrateTo("0008_account_disable");
    expect(down.error).toBeUndefined();
    await repos().twins.insert(twin);
    await repos().identities.insertMissing([anIdentity(twin.id, "a"), anIdentity(twin.id, "b")]);
    await upsert("old");
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await repos().twins.countOwned(fx.owner)).toBe(1);
    expect(await repos().identities.countOnTwin(twin.id)).toBe(2);
    expect(await repos().identityMetadata.countOwned(fx.owner)).toBe(1);
    await upsert("new");
    expect(await repos().identityMetadata.countOwned(fx.owner)).toBe(2);
  });
});
