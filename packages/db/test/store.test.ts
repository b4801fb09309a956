import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aPin, aSecret, anEvent, seedTenant, sleep } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("store (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  it("pings", async () => {
    expect(await fx.database.store.ping()).toBe(true);
  });

  it("commits a transaction and returns its result", async () => {
    const result = await fx.database.store.transaction(async (tx) => {
      const tenant = await seedTenant(tx);
      await tx.events.append([anEvent(tenant.account.id)]);
      return tenant;
    });
    expect(await fx.database.store.read.users.get(result.account.id, result.user.id)).toEqual(result.user);
    expect(await fx.database.store.read.events.list(result.account.id, 0, 10)).toHaveLength(1);
  });

  it("rolls everything back when the work throws", async () => {
    let seeded: Awaited<ReturnType<typeof seedTenant>> | undefined;
    await expect(
      fx.database.store.transaction(async (tx) => {
        seeded = await seedTenant(tx);
        const { account, user } = seeded;
        await tx.secrets.put(aSecret(account.id, user.id));
        await tx.secrets.insertPin(aPin(account.id, user.id));
        await tx.events.append([anEvent(account.id)]);
        await tx.accounts.claimBootstrap();
        expect(await tx.users.get(account.id, user.id)).toEqual(user); // visible inside
        throw new Error("use case failed");
      }),
    ).rejects.toThrow("use case failed");
    const { account, role, user } = seeded!;
    const read = fx.database.store.read;
    expect(await read.accounts.count()).toBe(0);
    expect(await read.roles.get(account.id, role.id)).toBeUndefined();
    expect(await read.users.get(account.id, user.id)).toBeUndefined();
    expect(await read.secrets.get(account.id, user.id)).toBeUndefined();
    expect(await read.events.list(account.id, 0, 10)).toEqual([]);
    expect(await read.accounts.claimBootstrap()).toBe(true);
  });

  it("rolls back when a statement fails inside the transaction", async () => {
    const tenant = await seedTenant(fx.database.store.read);
    await expect(
      fx.database.store.transaction(async (tx) => {
        await tx.events.append([anEvent(tenant.account.id)]);
        await tx.accounts.insert(tenant.account); // duplicate id
      }),
    ).rejects.toThrow();
    expect(await fx.database.store.read.events.list(tenant.account.id, 0, 10)).toEqual([]);
  });

  it("refuses store.read and nested transactions inside a transaction instead of deadlocking", async () => {
    await fx.database.store.transaction(async () => {
      await expect(fx.database.store.read.accounts.count()).rejects.toThrow(/use the transaction's repositories/);
      await expect(fx.database.store.ping()).rejects.toThrow(/inside a store.transaction/);
      await expect(fx.database.store.transaction(async () => 1)).rejects.toThrow(/inside a store.transaction/);
    });
    expect(await fx.database.store.read.accounts.count()).toBe(0);
  });

  it("does not refuse reads from work that merely started inside a finished transaction", async () => {
    let later: Promise<number> | undefined;
    await fx.database.store.transaction(async () => {
      later = sleep(20).then(() => fx.database.store.read.accounts.count());
    });
    expect(await later).toBe(0);
  });

  it("serves reads concurrently with an open transaction from other callers", async () => {
    const tenant = await seedTenant(fx.database.store.read);
    const tx = fx.database.store.transaction(async (t) => {
      await sleep(50);
      return t.accounts.count();
    });
    // On SQLite this read queues behind the transaction; on PostgreSQL it runs beside it.
    expect(await fx.database.store.read.accounts.get(tenant.account.id)).toEqual(tenant.account);
    expect(await tx).toBe(1);
  });
});
