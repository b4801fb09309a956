import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aPin, aSecret, aUser, gate, seedTenant, sleep } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("secrets (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;

  it("finds the secret's user, role and account address by hash in one call", async () => {
    const { account, role, user } = await seedTenant(repos());
    const secret = aSecret(account.id, user.id, { validityAt: 4_102_444_800_000 });
    await repos().secrets.put(secret);
    expect(await repos().secrets.findOwnerByHash(secret.hash)).toEqual({ secret, user, role, address: account.address });
  });

  it("insertPin reports a collision with a live PIN of the same account instead of failing", async () => {
    const { account, user } = await seedTenant(repos());
    const pin = aPin(account.id, user.id);
    expect(await repos().secrets.insertPin(pin)).toBe(true);
    expect(await repos().secrets.insertPin({ ...pin, createdAt: pin.createdAt + 1 })).toBe(false);
    expect(await repos().secrets.takePin(account.id, pin.hash)).toEqual(pin);
  });

  it("deleteExpiredPins removes only the account's expired PINs", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    const expired = aPin(a.account.id, a.user.id, { expiresAt: 100 });
    const live = aPin(a.account.id, a.user.id, { expiresAt: 300 });
    const othersExpired = aPin(b.account.id, b.user.id, { expiresAt: 100 });
    for (const pin of [expired, live, othersExpired]) await repos().secrets.insertPin(pin);
    await repos().secrets.deleteExpiredPins(a.account.id, 200);
    expect(await repos().secrets.takePin(a.account.id, expired.hash)).toBeUndefined();
    expect(await repos().secrets.takePin(a.account.id, live.hash)).toEqual(live);
    expect(await repos().secrets.takePin(b.account.id, othersExpired.hash)).toEqual(othersExpired);
  });

  it("finds nothing for an unknown hash", async () => {
    expect(await repos().secrets.findOwnerByHash("0".repeat(64))).toBeUndefined();
  });

  it("gets the user's secret within the account only", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    const secret = aSecret(a.account.id, a.user.id);
    await repos().secrets.put(secret);
    expect(await repos().secrets.get(a.account.id, a.user.id)).toEqual(secret);
    expect(await repos().secrets.get(b.account.id, a.user.id)).toBeUndefined();
    expect(await repos().secrets.delete(b.account.id, a.user.id)).toBe(false);
    expect(await repos().secrets.get(a.account.id, a.user.id)).toEqual(secret);
  });

  it("put replaces the user's one secret (the old hash stops working)", async () => {
    const { account, user } = await seedTenant(repos());
    const old = aSecret(account.id, user.id);
    await repos().secrets.put(old);
    const fresh = aSecret(account.id, user.id, { validityAt: 123 });
    await repos().secrets.put(fresh);
    expect(await repos().secrets.get(account.id, user.id)).toEqual(fresh);
    expect(await repos().secrets.findOwnerByHash(old.hash)).toBeUndefined();
    expect((await repos().secrets.findOwnerByHash(fresh.hash))?.secret).toEqual(fresh);
  });

  it("put with the same hash updates validity in place", async () => {
    const { account, user } = await seedTenant(repos());
    const secret = aSecret(account.id, user.id);
    await repos().secrets.put(secret);
    const updated = { ...secret, validityAt: 42, updatedAt: secret.updatedAt + 1 };
    await repos().secrets.put(updated);
    expect(await repos().secrets.get(account.id, user.id)).toEqual(updated);
  });

  it("refuses a hash another user's secret already has", async () => {
    const { account, role, user } = await seedTenant(repos());
    const other = aUser(account.id, role.id);
    await repos().users.insert(other);
    const secret = aSecret(account.id, user.id);
    await repos().secrets.put(secret);
    await expect(repos().secrets.put(aSecret(account.id, other.id, { hash: secret.hash }))).rejects.toThrow();
    expect((await repos().secrets.findOwnerByHash(secret.hash))?.user.id).toBe(user.id);
    expect(await repos().secrets.get(account.id, other.id)).toBeUndefined();
  });

  it("refuses a secret for another account's user", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    await expect(repos().secrets.put(aSecret(b.account.id, a.user.id))).rejects.toThrow();
    const secret = aSecret(a.account.id, a.user.id);
    await repos().secrets.put(secret);
    // Upserting over it under the wrong account is refused too.
    await expect(repos().secrets.put({ ...secret, account: b.account.id })).rejects.toThrow();
    expect(await repos().secrets.get(a.account.id, a.user.id)).toEqual(secret);
  });

  it("deletes the secret", async () => {
    const { account, user } = await seedTenant(repos());
    const secret = aSecret(account.id, user.id);
    await repos().secrets.put(secret);
    expect(await repos().secrets.delete(account.id, user.id)).toBe(true);
    expect(await repos().secrets.get(account.id, user.id)).toBeUndefined();
    expect(await repos().secrets.findOwnerByHash(secret.hash)).toBeUndefined();
    expect(await repos().secrets.delete(account.id, user.id)).toBe(false);
  });

  it("takes a PIN once and returns it whole", async () => {
    const { account, user } = await seedTenant(repos());
    const pin = aPin(account.id, user.id);
    await repos().secrets.insertPin(pin);
    expect(await repos().secrets.takePin(account.id, pin.hash)).toEqual(pin);
    expect(await repos().secrets.takePin(account.id, pin.hash)).toBeUndefined();
  });

  it("keeps a null secret validity on a PIN", async () => {
    const { account, user } = await seedTenant(repos());
    const pin = aPin(account.id, user.id, { secretValidityAt: null });
    await repos().secrets.insertPin(pin);
    expect(await repos().secrets.takePin(account.id, pin.hash)).toEqual(pin);
  });

  it("never hands another account's PIN out", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    const pin = aPin(a.account.id, a.user.id);
    await repos().secrets.insertPin(pin);
    expect(await repos().secrets.takePin(b.account.id, pin.hash)).toBeUndefined();
    expect(await repos().secrets.takePin(a.account.id, pin.hash)).toEqual(pin);
  });

  it("refuses a PIN for another account's user", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    await expect(repos().secrets.insertPin(aPin(b.account.id, a.user.id))).rejects.toThrow();
  });

  it("gives a PIN to exactly one of two concurrent transactions", async () => {
    const { account, user } = await seedTenant(repos());
    const pin = aPin(account.id, user.id);
    await repos().secrets.insertPin(pin);
    const hold = gate();
    const take = () =>
      fx.database.store.transaction(async (tx) => {
        const taken = await tx.secrets.takePin(account.id, pin.hash);
        await hold.opened;
        return taken;
      });
    const racing = Promise.all([take(), take()]);
    await sleep(100);
    hold.open();
    const results = await racing;
    expect(results.filter((r) => r !== undefined)).toEqual([pin]);
  });

  it("gives a PIN to exactly one of many concurrent plain calls", async () => {
    const { account, user } = await seedTenant(repos());
    const pin = aPin(account.id, user.id);
    await repos().secrets.insertPin(pin);
    const results = await Promise.all(Array.from({ length: 8 }, () => repos().secrets.takePin(account.id, pin.hash)));
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });
});
