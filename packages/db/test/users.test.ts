import type { User } from "@idhub/core";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aPin, aRole, aSecret, aUser, seedTenant } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("users (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;

  it("inserts and gets a user with its JSON description", async () => {
    const { account, user } = await seedTenant(repos());
    expect(await repos().users.get(account.id, user.id)).toEqual(user);
  });

  it("keeps a null name and a null description", async () => {
    const { account, role } = await seedTenant(repos());
    const user = aUser(account.id, role.id, { name: null, description: null });
    await repos().users.insert(user);
    expect(await repos().users.get(account.id, user.id)).toEqual(user);
  });

  it("lists the account's users in creation order", async () => {
    const { account, role, user: first } = await seedTenant(repos());
    const second = aUser(account.id, role.id, { name: "Bob" });
    await repos().users.insert(second);
    await seedTenant(repos());
    expect(await repos().users.list(account.id, { limit: 100 })).toEqual([first, second]);
  });

  it("updates role, name, description and updatedAt but not createdAt", async () => {
    const { account, user } = await seedTenant(repos());
    const other = aRole(account.id);
    await repos().roles.insert(other);
    const changed: User = { ...user, role: other.id, name: null, description: { x: 1 }, createdAt: 1, updatedAt: user.updatedAt + 5 };
    expect(await repos().users.update(changed)).toBe(true);
    expect(await repos().users.get(account.id, user.id)).toEqual({ ...changed, createdAt: user.createdAt });
  });

  it("deletes a user together with its secret and PINs", async () => {
    const { account, role } = await seedTenant(repos());
    const user = aUser(account.id, role.id);
    await repos().users.insert(user);
    const secret = aSecret(account.id, user.id);
    const pin = aPin(account.id, user.id);
    await repos().secrets.put(secret);
    await repos().secrets.insertPin(pin);
    expect(await repos().users.delete(account.id, user.id)).toBe(true);
    expect(await repos().users.get(account.id, user.id)).toBeUndefined();
    expect(await repos().secrets.get(account.id, user.id)).toBeUndefined();
    expect(await repos().secrets.findOwnerByHash(secret.hash)).toBeUndefined();
    expect(await repos().secrets.takePin(account.id, pin.hash)).toBeUndefined();
    expect(await repos().users.delete(account.id, user.id)).toBe(false);
  });

  it("never shows, changes or deletes another account's user", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    expect(await repos().users.get(b.account.id, a.user.id)).toBeUndefined();
    expect(await repos().users.list(b.account.id, { limit: 100 })).toEqual([b.user]);
    expect(await repos().users.update({ ...a.user, account: b.account.id, name: "Hijacked" })).toBe(false);
    expect(await repos().users.get(a.account.id, a.user.id)).toEqual(a.user);
    expect(await repos().users.delete(b.account.id, a.user.id)).toBe(false);
    expect(await repos().users.get(a.account.id, a.user.id)).toEqual(a.user);
  });

  it("refuses a user holding another account's role, on insert and on update", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    await expect(repos().users.insert(aUser(b.account.id, a.role.id))).rejects.toThrow();
    await expect(repos().users.update({ ...b.user, role: a.role.id })).rejects.toThrow();
    expect(await repos().users.get(b.account.id, b.user.id)).toEqual(b.user);
  });

  it("refuses a user whose role does not exist", async () => {
    const { account } = await seedTenant(repos());
    await expect(repos().users.insert(aUser(account.id, "no-such-role"))).rejects.toThrow();
  });
});
