import { testDialects } from "@idhub/db/testing";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectEachForbidden, freshEnv, member, newAccount, rejection } from "./support.js";

describe.each(testDialects)("twins over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  it("creates a twin owned and created by the caller's account, alive, version 1", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create({ description: { kind: "pallet", size: 3 } });
    expect(twin).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      owner: a.account.id,
      creator: a.account.id,
      status: "alive",
      description: { kind: "pallet", size: 3 },
      createdAt: env.clock.ms,
      updatedAt: env.clock.ms,
      terminatedAt: null,
      terminatedBy: null,
      version: 1,
    });
    expect(await a.caller.twins.get({ id: twin.id })).toEqual(twin);
    expect((await a.caller.twins.create()).description).toBeNull();
    expect((await a.caller.twins.create({ description: {} })).description).toEqual({});
  });

  it("rejects bad input: description keys, unknown fields, ids that are not UUIDs", async () => {
    const a = await newAccount(env.core, "a");
    for (const call of [
      () => a.caller.twins.create({ description: { "Bad Key": 1 } }),
      () => a.caller.twins.create({ description: [] as never }),
      () => a.caller.twins.create({ extra: 1 } as never),
      () => a.caller.twins.get({ id: "not-a-uuid" }),
      () => a.caller.twins.update({ id: randomUUID(), description: {}, expectedVersion: -1 }),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: "BAD_REQUEST", domain: "validation.invalidInput" });
    }
    expect((await a.caller.twins.list()).items).toEqual([]);
  });

  it("any account reaches a twin by id; unknown ids are NOT_FOUND", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create({ description: { kind: "pallet" } });
    expect(await b.caller.twins.get({ id: twin.id })).toEqual(twin);
    expect(await rejection(b.caller.twins.get({ id: randomUUID() }))).toMatchObject({ code: "NOT_FOUND", domain: "twin.notFound" });
  });

  it("update replaces the description (null clears, absent keeps) and bumps updatedAt and version; owner only", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create({ description: { kind: "pallet", size: 3 } });
    env.clock.ms += 1000;
    const replaced = await a.caller.twins.update({ id: twin.id, description: { kind: "box" } });
    expect(replaced).toEqual({ ...twin, description: { kind: "box" }, updatedAt: twin.createdAt + 1000, version: 2 });
    const kept = await a.caller.twins.update({ id: twin.id });
    expect(kept).toMatchObject({ description: { kind: "box" }, version: 3 });
    expect(await a.caller.twins.update({ id: twin.id, description: null })).toMatchObject({ description: null, version: 4 });

    expect(await rejection(b.caller.twins.update({ id: twin.id, description: { mine: true } }))).toMatchObject({
      code: "FORBIDDEN",
      domain: "twin.notOwner",
    });
    expect(await rejection(b.caller.twins.terminate({ id: twin.id }))).toMatchObject({ code: "FORBIDDEN", domain: "twin.notOwner" });
    expect(await a.caller.twins.get({ id: twin.id })).toMatchObject({ description: null, status: "alive", version: 4 });
  });

  it("terminates once; then the description cannot change; show_terminated=false hides it", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create({ description: { kind: "pallet" } });
    env.clock.ms += 5000;
    const terminated = await a.caller.twins.terminate({ id: twin.id });
    expect(terminated).toEqual({
      ...twin,
      status: "terminated",
      terminatedAt: twin.createdAt + 5000,
      terminatedBy: a.account.id,
      updatedAt: twin.createdAt + 5000,
      version: 2,
    });
    expect(await rejection(a.caller.twins.terminate({ id: twin.id }))).toMatchObject({
      code: "BAD_REQUEST",
      domain: "twin.alreadyTerminated",
      message: "Twin already terminated.",
    });
    expect(await rejection(a.caller.twins.update({ id: twin.id, description: {} }))).toMatchObject({
      code: "CONFLICT",
      domain: "twin.terminated",
    });
    expect(await a.caller.twins.get({ id: twin.id })).toEqual(terminated);
    expect(await a.caller.twins.get({ id: twin.id, showTerminated: true })).toEqual(terminated);
    expect(await rejection(a.caller.twins.get({ id: twin.id, showTerminated: false }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("expectedVersion: a stale version is PRECONDITION_FAILED and changes nothing", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create({ description: { v: 1 } });
    const updated = await a.caller.twins.update({ id: twin.id, description: { v: 2 }, expectedVersion: 1 });
    expect(updated.version).toBe(2);
    expect(await rejection(a.caller.twins.update({ id: twin.id, description: { v: 3 }, expectedVersion: 1 }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      domain: "version.mismatch",
    });
    expect(await rejection(a.caller.twins.terminate({ id: twin.id, expectedVersion: 1 }))).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await a.caller.twins.get({ id: twin.id })).toEqual(updated);
    expect((await a.caller.twins.terminate({ id: twin.id, expectedVersion: 2 })).status).toBe("terminated");
  });

  it("a role's twinRule decides which twins its users reach (TWIN, USER and DICT in the rule)", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const pallet = await a.caller.twins.create({ description: { kind: "pallet", serial: "S1", company: "acme" } });
    const box = await a.caller.twins.create({ description: { kind: "box" } });
    const plain = await a.caller.twins.create();

    const kinds = await member(env.core, b, { rules: { twinRule: "TWIN.kind == 'pallet'" } });
    expect((await kinds.caller.twins.get({ id: pallet.id })).id).toBe(pallet.id);
    for (const id of [box.id, plain.id]) {
      expect(await rejection(kinds.caller.twins.get({ id }))).toMatchObject({
        code: "FORBIDDEN",
        domain: "twin.notAccessible",
        message: "Twin not accessible.",
      });
    }
    const company = await member(env.core, b, { rules: { twinRule: "TWIN.company == USER.company" }, description: { company: "acme" } });
    expect((await company.caller.twins.get({ id: pallet.id })).id).toBe(pallet.id);
    const header = await member(env.core, b, { rules: { twinRule: "DICT.serial == TWIN.serial" }, dict: { serial: "S1" } });
    expect((await header.caller.twins.get({ id: pallet.id })).id).toBe(pallet.id);
    const noHeader = await member(env.core, b, { rules: { twinRule: "DICT.serial == TWIN.serial" } });
    expect((await rejection(noHeader.caller.twins.get({ id: pallet.id }))).code).toBe("FORBIDDEN");
    // The rule applies to the account's own twins too, also when changing them.
    const own = await member(env.core, a, { rules: { twinRule: "TWIN.kind == 'pallet'" } });
    expect((await rejection(own.caller.twins.update({ id: box.id, description: {} }))).domain).toBe("twin.notAccessible");
    expect((await own.caller.twins.update({ id: pallet.id, description: { kind: "pallet" } })).version).toBe(2);
    expect((await own.caller.twins.list()).items.map((t) => t.id)).toEqual([pallet.id]);
  });

  it("the role's statement is checked first, and the action is named", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const reader = await member(env.core, a, { statement: { effect: "allow", actions: ["get_twin"] } });
    expect((await reader.caller.twins.get({ id: twin.id })).id).toBe(twin.id);
    await expectEachForbidden([
      [() => reader.caller.twins.create({ extra: 1 } as never), "create_twin"],
      [() => reader.caller.twins.update({ id: twin.id }), "update_twin"],
      [() => reader.caller.twins.terminate({ id: "nope" }), "terminate_twin"],
    ]);
  });

  it("lists the caller's account's own twins, oldest first, with an opaque cursor and a status filter", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      env.clock.ms += 1;
      ids.push((await a.caller.twins.create({ description: { n } })).id);
    }
    await b.caller.twins.create();
    await a.caller.twins.terminate({ id: ids[1]! });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof a.caller.twins.list>> = await a.caller.twins.list({ limit: 2, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect((await a.caller.twins.list({ status: "terminated" })).items.map((t) => t.id)).toEqual([ids[1]]);
    expect((await a.caller.twins.list({ status: "alive" })).items).toHaveLength(4);
    expect((await a.caller.twins.list()).nextCursor).toBeNull();
    expect((await b.caller.twins.list()).items).toHaveLength(1);

    for (const input of [{ limit: 0 }, { limit: 101 }, { cursor: "bogus" }, { status: "dead" as never }]) {
      expect(await rejection(a.caller.twins.list(input))).toMatchObject({ code: "BAD_REQUEST", domain: "validation.invalidInput" });
    }
  });

  it("every mutation appends its event to the owner's feed; failures append none", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    await a.caller.twins.update({ id: twin.id, description: { x: 1 } });
    await a.caller.twins.terminate({ id: twin.id });
    await rejection(a.caller.twins.terminate({ id: twin.id }));
    const events = (await env.database.store.read.events.list(a.account.id, 0, 100)).filter((e) => e.type.startsWith("twin."));
    expect(events.map((e) => [e.type, e.subject, e.actor, e.data])).toEqual([
      ["twin.created", twin.id, a.user.id, { version: 1 }],
      ["twin.updated", twin.id, a.user.id, { version: 2 }],
      ["twin.terminated", twin.id, a.user.id, { version: 3 }],
    ]);
  });
});
