import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { anAccount, gate, sleep } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("accounts (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  it("inserts and gets an account by id and by address, private key included", async () => {
    const account = anAccount();
    await fx.database.store.read.accounts.insert(account);
    expect(await fx.database.store.read.accounts.get(account.id)).toEqual(account);
    expect(await fx.database.store.read.accounts.getByAddress(account.address)).toEqual(account);
  });

  it("returns undefined for unknown ids and addresses", async () => {
    expect(await fx.database.store.read.accounts.get("nope")).toBeUndefined();
    expect(await fx.database.store.read.accounts.getByAddress("did:e:localhost:dids:0000")).toBeUndefined();
  });

  it("keeps timestamps as numbers", async () => {
    const account = anAccount({ createdAt: 4_102_444_800_000, updatedAt: 4_102_444_800_001 });
    await fx.database.store.read.accounts.insert(account);
    const stored = await fx.database.store.read.accounts.get(account.id);
    expect(typeof stored?.createdAt).toBe("number");
    expect(stored?.updatedAt).toBe(4_102_444_800_001);
  });

  it("counts accounts as a number", async () => {
    expect(await fx.database.store.read.accounts.count()).toBe(0);
    await fx.database.store.read.accounts.insert(anAccount());
    await fx.database.store.read.accounts.insert(anAccount());
    expect(await fx.database.store.read.accounts.count()).toBe(2);
  });

  it("refuses a second account with the same address", async () => {
    const first = anAccount();
    await fx.database.store.read.accounts.insert(first);
    await expect(fx.database.store.read.accounts.insert(anAccount({ address: first.address }))).rejects.toThrow();
    expect(await fx.database.store.read.accounts.count()).toBe(1);
  });

  it("claims the bootstrap marker once", async () => {
    expect(await fx.database.store.read.accounts.claimBootstrap()).toBe(true);
    expect(await fx.database.store.read.accounts.claimBootstrap()).toBe(false);
  });

  it("lets exactly one of two concurrent transactions claim the bootstrap", async () => {
    const hold = gate();
    const claim = () =>
      fx.database.store.transaction(async (tx) => {
        const won = await tx.accounts.claimBootstrap();
        await hold.opened; // keep both transactions open across each other's claim
        return won;
      });
    const racing = Promise.all([claim(), claim()]);
    await sleep(100);
    hold.open();
    expect((await racing).sort()).toEqual([false, true]);
  });

  it("lets a later claim win when the winner rolled back", async () => {
    await expect(
      fx.database.store.transaction(async (tx) => {
        expect(await tx.accounts.claimBootstrap()).toBe(true);
        throw new Error("bootstrap failed");
      }),
    ).rejects.toThrow("bootstrap failed");
    expect(await fx.database.store.transaction((tx) => tx.accounts.claimBootstrap())).toBe(true);
  });
});
