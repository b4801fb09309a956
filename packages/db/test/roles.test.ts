import { DomainError, type Role } from "@idhub/core";
import { describe, expect, it } from "vitest";
import { testDialects } from "../src/testing.js";
import { aRole, anAccount, aUser, gate, seedTenant, sleep } from "./fixtures.js";
import { freshDatabase } from "./database-fixture.js";

describe.each(testDialects)("roles (%s)", (dialect) => {
  const fx = freshDatabase(dialect);

  const repos = () => fx.database.store.read;

  it("inserts and gets a role with its statement and rules", async () => {
    const { account } = await seedTenant(repos());
    const role = aRole(account.id);
    await repos().roles.insert(role);
    expect(await repos().roles.get(account.id, role.id)).toEqual(role);
  });

  it("keeps a null action list (Super Admin) distinct from an empty one", async () => {
    const { account } = await seedTenant(repos());
    const admin = aRole(account.id, { statement: { effect: "deny", actions: null } });
    const none = aRole(account.id, { statement: { effect: "allow", actions: [] } });
    await repos().roles.insert(admin);
    await repos().roles.insert(none);
    expect((await repos().roles.get(account.id, admin.id))?.statement).toEqual({ effect: "deny", actions: null });
    expect((await repos().roles.get(account.id, none.id))?.statement).toEqual({ effect: "allow", actions: [] });
  });

  it("lists the account's roles in creation order", async () => {
    const { account, role: first } = await seedTenant(repos());
    const second = aRole(account.id, { name: "Second" });
    await repos().roles.insert(second);
    await seedTenant(repos()); // another account's roles stay out
    expect(await repos().roles.list(account.id, { limit: 100 })).toEqual([first, second]);
  });

  it("updates name, statement, rules and updatedAt but not account or createdAt", async () => {
    const { account, role } = await seedTenant(repos());
    const changed: Role = {
      ...role,
      name: "Renamed",
      statement: { effect: "deny", actions: ["terminate_twin"] },
      rules: { twinRule: null, entryRule: "true", identityRule: "identity != ''" },
      createdAt: 1,
      updatedAt: role.updatedAt + 1000,
    };
    expect(await repos().roles.update(changed)).toBe(true);
    expect(await repos().roles.get(account.id, role.id)).toEqual({ ...changed, createdAt: role.createdAt });
  });

  it("deletes an unused role and reports whether it existed", async () => {
    const { account } = await seedTenant(repos());
    const role = aRole(account.id);
    await repos().roles.insert(role);
    expect(await repos().roles.isInUse(account.id, role.id)).toBe(false);
    expect(await repos().roles.delete(account.id, role.id)).toBe(true);
    expect(await repos().roles.get(account.id, role.id)).toBeUndefined();
    expect(await repos().roles.delete(account.id, role.id)).toBe(false);
  });

  it("refuses to delete a role held by a user with CONFLICT access.role.inUse", async () => {
    const { account, role } = await seedTenant(repos());
    expect(await repos().roles.isInUse(account.id, role.id)).toBe(true);
    const error = await repos().roles.delete(account.id, role.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: "CONFLICT", code: "access.role.inUse" });
    expect(await repos().roles.get(account.id, role.id)).toEqual(role);
  });

  it("turns the foreign key into CONFLICT when a user takes the role during the delete (race)", async () => {
    const { account } = await seedTenant(repos());
    const role = aRole(account.id);
    await repos().roles.insert(role);
    const hold = gate();
    // Transaction 1 assigns the role and stays open; transaction 2 deletes the role meanwhile.
    const assign = fx.database.store.transaction(async (tx) => {
      await tx.users.insert(aUser(account.id, role.id));
      await hold.opened;
    });
    await sleep(50);
    const remove = fx.database.store.transaction((tx) => tx.roles.delete(account.id, role.id));
    await sleep(100);
    hold.open();
    await assign;
    await expect(remove).rejects.toMatchObject({ kind: "CONFLICT", code: "access.role.inUse" });
    expect(await repos().roles.get(account.id, role.id)).toEqual(role);
  });

  it("never shows, changes or deletes another account's role", async () => {
    const a = await seedTenant(repos());
    const b = await seedTenant(repos());
    const roleA = aRole(a.account.id);
    await repos().roles.insert(roleA);
    expect(await repos().roles.get(b.account.id, roleA.id)).toBeUndefined();
    expect(await repos().roles.list(b.account.id, { limit: 100 })).toEqual([b.role]);
    expect(await repos().roles.isInUse(b.account.id, a.role.id)).toBe(false);
    expect(await repos().roles.update({ ...roleA, account: b.account.id, name: "Hijacked" })).toBe(false);
    expect((await repos().roles.get(a.account.id, roleA.id))?.name).toBe(roleA.name);
    expect(await repos().roles.delete(b.account.id, roleA.id)).toBe(false);
    expect(await repos().roles.get(a.account.id, roleA.id)).toEqual(roleA);
  });

  it("requires the role's account to exist", async () => {
    await expect(repos().roles.insert(aRole(anAccount().id))).rejects.toThrow();
  });
});
