import { testDialects } from "@idhub/db/testing";
import { describe, expect, it } from "vitest";
import { anonymousCaller, callerFor, freshEnv, newAccount, rejection } from "./support.js";

describe.each(testDialects)("access over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  /** A second user in `account` whose role has the given statement, with its own secret. */
  async function limitedUser(admin: Awaited<ReturnType<typeof newAccount>>, actions: string[]) {
    const role = await admin.caller.access.roles.create({ name: "limited", statement: { effect: "allow", actions } });
    const user = await admin.caller.access.users.create({ role: role.id, name: "limited user" });
    const { secret } = await env.core.admin.issueSecret({ account: admin.account.id, user: user.id });
    return { role, user, caller: await callerFor(env.core, secret) };
  }

  it("whoami answers the caller's ids; the account has an enmeshed address", async () => {
    const a = await newAccount(env.core, "acme");
    expect(await a.caller.access.whoami()).toEqual({ account: a.account.id, user: a.user.id, role: a.role.id });
    const account = await a.caller.access.account.get();
    expect(account.address).toMatch(/^did:e:localhost:dids:[0-9a-f]{22}$/);
    expect(account).not.toHaveProperty("privateKey");
  });

  it("calls without a principal are UNAUTHORIZED", async () => {
    expect((await rejection(anonymousCaller(env.core).access.whoami())).code).toBe("UNAUTHORIZED");
  });

  it("an allow statement permits exactly its actions; the action is named in the error", async () => {
    const admin = await newAccount(env.core, "acme");
    const { caller } = await limitedUser(admin, ["get_users"]);
    expect((await caller.access.users.list()).items.map((u) => u.name).sort()).toEqual(["Super Admin", "limited user"]);
    const denied = await rejection(caller.access.users.create({ role: admin.role.id }));
    expect(denied.code).toBe("FORBIDDEN");
    expect(denied.message).toContain("create_user");
  });

  it("no privilege escalation: roles, role assignment, and managing stronger users", async () => {
    const admin = await newAccount(env.core, "acme");
    const { caller, role } = await limitedUser(admin, ["create_user_role", "create_user", "get_users", "update_user", "create_user_secret_pin"]);
    const wider = await rejection(caller.access.roles.create({ statement: { effect: "allow", actions: ["create_user_role", "delete_user"] } }));
    expect(wider).toMatchObject({ code: "FORBIDDEN", domain: "access.privilegeEscalation" });
    expect((await rejection(caller.access.roles.create({}))).domain).toBe("access.privilegeEscalation");
    const narrower = await caller.access.roles.create({ name: "reader", statement: { effect: "allow", actions: ["get_users"] } });
    expect(narrower.statement).toEqual({ effect: "allow", actions: ["get_users"] });
    expect((await rejection(caller.access.users.create({ role: admin.role.id }))).domain).toBe("access.privilegeEscalation");
    expect((await rejection(caller.access.users.update({ id: admin.user.id, role: role.id }))).domain).toBe("access.privilegeEscalation");
    expect((await rejection(caller.access.secrets.createPin({ user: admin.user.id }))).domain).toBe("access.privilegeEscalation");
  });

  it("another account's users, roles and secrets are not found", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    for (const call of [
      () => b.caller.access.users.get({ id: a.user.id }),
      () => b.caller.access.users.update({ id: a.user.id, name: "taken" }),
      () => b.caller.access.users.delete({ id: a.user.id }),
      () => b.caller.access.roles.get({ id: a.role.id }),
      () => b.caller.access.roles.update({ id: a.role.id, name: "taken" }),
      () => b.caller.access.roles.delete({ id: a.role.id }),
      () => b.caller.access.secrets.get({ user: a.user.id }),
      () => b.caller.access.secrets.createPin({ user: a.user.id }),
      () => b.caller.access.users.create({ role: a.role.id }),
    ]) {
      expect((await rejection(call())).code).toBe("NOT_FOUND");
    }
    expect((await b.caller.access.users.list()).items.map((u) => u.id)).toEqual([b.user.id]);
    expect((await a.caller.access.users.get({ id: a.user.id })).name).toBe("Super Admin");
  });

  it("a role held by a user cannot be deleted; once free it can", async () => {
    const admin = await newAccount(env.core, "acme");
    const { role, user } = await limitedUser(admin, ["get_users"]);
    expect((await rejection(admin.caller.access.roles.delete({ id: role.id })))).toMatchObject({ code: "CONFLICT", domain: "access.role.inUse" });
    await admin.caller.access.users.delete({ id: user.id });
    expect((await admin.caller.access.roles.delete({ id: role.id })).id).toBe(role.id);
    expect((await rejection(admin.caller.access.roles.get({ id: role.id }))).code).toBe("NOT_FOUND");
  });

  it("bad input is INVALID and changes nothing", async () => {
    const admin = await newAccount(env.core, "acme");
    const before = await admin.caller.access.roles.list();
    const inputs: object[] = [
      { name: "x" },
      { name: "bad name!" },
      { statement: { effect: "allow" as const, actions: ["fly_to_the_moon"] } },
      { statement: { effect: "maybe" as "allow" } },
      { rules: { twinRule: "" } },
      { extra: 1 },
    ];
    for (const input of inputs) {
      expect((await rejection(admin.caller.access.roles.create(input as never))).code).toBe("BAD_REQUEST");
    }
    expect((await rejection(admin.caller.access.users.create({ role: admin.role.id, description: { "Bad Key": 1 } }))).code).toBe("BAD_REQUEST");
    // Beyond what a Date (and PostgreSQL's bigint) can hold: a client mistake, not a server error.
    expect((await rejection(admin.caller.access.secrets.createPin({ user: admin.user.id, validityAt: 1e300 })))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await admin.caller.access.roles.list()).toEqual(before);
    expect((await admin.caller.access.users.list()).items).toHaveLength(1);
  });

  it("updates are merge patches; explicit null clears", async () => {
    const admin = await newAccount(env.core, "acme");
    const user = await admin.caller.access.users.create({ role: admin.role.id, name: "ann", description: { profession: "accounting" } });
    env.clock.ms += 1000;
    const renamed = await admin.caller.access.users.update({ id: user.id, name: "anna" });
    expect(renamed).toMatchObject({ name: "anna", description: { profession: "accounting" }, updatedAt: user.updatedAt + 1000 });
    expect(await admin.caller.access.users.update({ id: user.id, description: null })).toMatchObject({ name: "anna", description: null });
  });

  it("a user cannot delete itself", async () => {
    const admin = await newAccount(env.core, "acme");
    expect(await rejection(admin.caller.access.users.delete({ id: admin.user.id }))).toMatchObject({ code: "CONFLICT" });
  });

  it("the PIN flow issues a new secret once, replacing the old one", async () => {
    const admin = await newAccount(env.core, "acme");
    const { pin } = await admin.caller.access.secrets.createPin({ user: admin.user.id, validityAt: env.clock.ms + 60_000 });
    const issued = await env.core.access.secrets.redeemPin({ account: admin.account.id, pin, client: "c" });
    expect(issued.secret).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(issued.validityAt).toBe(env.clock.ms + 60_000);
    await expect(env.core.access.secrets.redeemPin({ account: admin.account.id, pin, client: "c" })).rejects.toMatchObject({ kind: "NOT_FOUND" });
    await expect(env.core.access.authenticate({ secret: admin.secret, client: "c" })).rejects.toMatchObject({ kind: "UNAUTHENTICATED" });
    const fresh = await callerFor(env.core, issued.secret);
    const info = await fresh.access.secrets.get({ user: admin.user.id });
    expect(info).toEqual({ account: admin.account.id, user: admin.user.id, fingerprint: issued.secret.slice(-4), validityAt: issued.validityAt, createdAt: issued.createdAt, updatedAt: issued.updatedAt });
    env.clock.ms += 60_000;
    await expect(env.core.access.authenticate({ secret: issued.secret, client: "c" })).rejects.toMatchObject({ code: "auth.invalidSecret" });
  });

  it("PINs expire after 10 minutes", async () => {
    const admin = await newAccount(env.core, "acme");
    const { pin } = await admin.caller.access.secrets.createPin({ user: admin.user.id });
    env.clock.ms += 10 * 60_000;
    await expect(env.core.access.secrets.redeemPin({ account: admin.account.id, pin, client: "c" })).rejects.toMatchObject({ code: "access.pin.notFound" });
  });

  it("every mutation appends its events in the caller's account feed", async () => {
    const admin = await newAccount(env.core, "acme");
    const role = await admin.caller.access.roles.create({ name: "reader", statement: { effect: "allow", actions: ["get_users"] } });
    const user = await admin.caller.access.users.create({ role: role.id });
    await admin.caller.access.users.delete({ id: user.id });
    const events = await env.database.store.read.events.list(admin.account.id, 0, 100);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      ["account.created", admin.account.id],
      ["role.created", admin.role.id],
      ["user.created", admin.user.id],
      ["secret.created", admin.user.id],
      ["role.created", role.id],
      ["user.created", user.id],
      ["user.deleted", user.id],
    ]);
    expect(events.slice(4).every((e) => e.actor === admin.user.id)).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it("a failed use case appends no event", async () => {
    const admin = await newAccount(env.core, "acme");
    const before = await env.database.store.read.events.list(admin.account.id, 0, 100);
    await rejection(admin.caller.access.roles.delete({ id: admin.role.id }));
    expect(await env.database.store.read.events.list(admin.account.id, 0, 100)).toEqual(before);
  });
});
