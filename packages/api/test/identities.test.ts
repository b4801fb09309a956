import { testDialects } from "@idhub/db/testing";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectEachForbidden, freshEnv, member, newAccount, rejection } from "./support.js";

const ACCOUNTING = "USER.profession == 'accounting'";

describe.each(testDialects)("identities over tRPC (%s)", (dialect) => {
  const env = freshEnv(dialect);

  it("creates many names at once; existing names are reported and left unchanged", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const first = await a.caller.identities.create({
      twin: twin.id,
      identities: [{ name: "RFID#1", validityAt: env.clock.ms + 60_000.4, visibility: ACCOUNTING }, { name: "NFC#2" }],
    });
    expect(first.alreadyExisting).toEqual([]);
    expect(first.created).toEqual([
      {
        twin: twin.id,
        owner: a.account.id,
        name: "RFID#1",
        validityAt: env.clock.ms + 60_000,
        visibility: ACCOUNTING,
        creator: a.account.id,
        createdAt: env.clock.ms,
        updatedAt: env.clock.ms,
        version: 1,
      },
      expect.objectContaining({ name: "NFC#2", validityAt: null, visibility: null }),
    ]);
    const second = await a.caller.identities.create({
      twin: twin.id,
      identities: [{ name: "RFID#1", visibility: null }, { name: "SN#3" }],
    });
    expect(second.created.map((i) => i.name)).toEqual(["SN#3"]);
    expect(second.alreadyExisting).toEqual(["RFID#1"]);
    expect((await a.caller.identities.get({ twin: twin.id, name: "RFID#1" })).visibility).toBe(ACCOUNTING);
    expect(await rejection(a.caller.identities.create({ twin: twin.id, identities: [{ name: "SN#3" }] }))).toMatchObject({
      code: "BAD_REQUEST",
      domain: "identity.alreadyExists",
      message: "Identity already exists.",
    });
  });

  it("validates the whole input first: one bad item creates nothing", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const good = { name: "RFID#ok" };
    for (const bad of [
      { name: "no-hash" },
      { name: "TOOLONGPREFIX#1" },
      { name: "RFID#" },
      { name: "RFID#a/b" },
      { name: "RFID#x", validityAt: -1 },
      { name: "RFID#x", validityAt: "soon" as never },
      { name: "RFID#x", visibility: 42 as never },
      { name: "RFID#x", extra: true } as never,
    ]) {
      expect(await rejection(a.caller.identities.create({ twin: twin.id, identities: [good, bad] }))).toMatchObject({
        code: "BAD_REQUEST",
        domain: "validation.invalidInput",
      });
    }
    expect((await rejection(a.caller.identities.create({ twin: twin.id, identities: [] }))).domain).toBe("validation.invalidInput");
    expect((await rejection(a.caller.identities.create({ twin: twin.id, identities: [good, good] }))).domain).toBe("validation.invalidInput");
    const many = Array.from({ length: 101 }, (_, n) => ({ name: `RFID#${n}` }));
    expect((await rejection(a.caller.identities.create({ twin: twin.id, identities: many }))).domain).toBe("validation.invalidInput");
    const syntax = await rejection(a.caller.identities.create({ twin: twin.id, identities: [good, { name: "RFID#x", visibility: "USER.a ==" }] }));
    expect(syntax).toMatchObject({ code: "BAD_REQUEST", domain: "rule.syntax" });
    expect(syntax.message).toMatch(/line 1, column \d+/);
    expect((await rejection(a.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#x", visibility: "" }] }))).domain).toBe("rule.syntax");
    expect((await rejection(a.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#x", visibility: "true or ".repeat(600) + "true" }] }))).domain).toBe("rule.syntax");
    expect((await a.caller.identities.list({ twin: twin.id, showExpired: true })).personal).toEqual([]);
    expect((await rejection(a.caller.identities.create({ twin: randomUUID(), identities: [good] }))).domain).toBe("twin.notFound");
  });

  it("the seed PATCH: merge patch semantics, updatedAt and version bumped every time", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const ref = { twin: twin.id, name: "RFID#ae14" };
    const [created] = (
      await a.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name, validityAt: env.clock.ms + 86_400_000, visibility: "true" }] })
    ).created;
    const tick = () => (env.clock.ms += 1000);

    tick();
    const empty = await a.caller.identities.update(ref);
    expect(empty).toEqual({ ...created, updatedAt: env.clock.ms, version: 2 });
    tick();
    const noExpiry = await a.caller.identities.update({ ...ref, validityAt: null });
    expect(noExpiry).toEqual({ ...created, validityAt: null, updatedAt: env.clock.ms, version: 3 });
    tick();
    const priv = await a.caller.identities.update({ ...ref, visibility: null });
    expect(priv).toMatchObject({ validityAt: null, visibility: null, version: 4 });
    tick();
    const both = await a.caller.identities.update({ ...ref, validityAt: env.clock.ms + 5, visibility: ACCOUNTING });
    expect(both).toMatchObject({ validityAt: env.clock.ms + 5, visibility: ACCOUNTING, version: 5 });
    const cleared = await a.caller.identities.update({ ...ref, validityAt: null, visibility: null });
    expect(cleared).toMatchObject({ validityAt: null, visibility: null, version: 6, createdAt: created!.createdAt, creator: a.account.id });

    expect(await rejection(a.caller.identities.update({ ...ref, colour: "red" } as never))).toMatchObject({ code: "BAD_REQUEST", domain: "validation.invalidInput" });
    expect(await rejection(a.caller.identities.update({ ...ref, visibility: "USER.(" }))).toMatchObject({ code: "BAD_REQUEST", domain: "rule.syntax" });
    expect(await rejection(a.caller.identities.update({ ...ref, validityAt: true as never }))).toMatchObject({ domain: "validation.invalidInput" });
    expect(await a.caller.identities.get(ref)).toEqual(cleared);
  });

  it("an expired identity stays readable and patchable by its owner, and can be revived", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const ref = { twin: twin.id, name: "RFID#old" };
    await a.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name, validityAt: env.clock.ms - 1 }] });
    expect((await a.caller.identities.get(ref)).validityAt).toBe(env.clock.ms - 1);
    expect((await a.caller.identities.resolve({ name: ref.name })).twins).toEqual([]);
    expect((await a.caller.identities.update({ ...ref, visibility: "true" })).version).toBe(2);
    await a.caller.identities.update({ ...ref, validityAt: null });
    expect((await a.caller.identities.resolve({ name: ref.name })).twins).toEqual([twin.id]);
  });

  it("get, update and delete are owner-only: another account gets exactly the not-found answer", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create();
    const ref = { twin: twin.id, name: "RFID#1" };
    await a.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name, visibility: "true" }] });
    const missing = { twin: twin.id, name: "RFID#nowhere" };
    for (const [theirs, nowhere] of [
      [() => b.caller.identities.get(ref), () => b.caller.identities.get(missing)],
      [() => b.caller.identities.update({ ...ref, visibility: null }), () => b.caller.identities.update({ ...missing, visibility: null })],
      [() => b.caller.identities.update({ ...ref, expectedVersion: 9 }), () => b.caller.identities.update({ ...missing, expectedVersion: 9 })],
      [() => b.caller.identities.delete(ref), () => b.caller.identities.delete(missing)],
      [() => b.caller.identities.delete({ ...ref, expectedVersion: 1 }), () => b.caller.identities.delete({ ...missing, expectedVersion: 1 })],
    ] as const) {
      const x = await rejection(theirs());
      expect(x).toMatchObject({ code: "NOT_FOUND", domain: "identity.notFound" });
      expect(await rejection(nowhere())).toEqual(x);
    }
    expect(await a.caller.identities.get(ref)).toMatchObject({ visibility: "true", version: 1 });
    // B may attach the same name to the same twin: a key of its own.
    expect((await b.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name }] })).created).toHaveLength(1);
    expect((await b.caller.identities.get(ref)).owner).toBe(b.account.id);
    expect((await a.caller.identities.get(ref)).owner).toBe(a.account.id);
    expect(await rejection(a.caller.identities.get({ twin: randomUUID(), name: "RFID#1" }))).toMatchObject({ code: "NOT_FOUND", domain: "twin.notFound" });
  });

  it("expectedVersion on update and delete: a mismatch is PRECONDITION_FAILED and changes nothing", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const ref = { twin: twin.id, name: "RFID#1" };
    await a.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name }] });
    expect((await a.caller.identities.update({ ...ref, visibility: "true", expectedVersion: 1 })).version).toBe(2);
    expect(await rejection(a.caller.identities.update({ ...ref, visibility: null, expectedVersion: 1 }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      domain: "version.mismatch",
    });
    expect(await rejection(a.caller.identities.delete({ ...ref, expectedVersion: 1 }))).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await rejection(a.caller.identities.update({ ...ref, expectedVersion: 2 ** 40 }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rejection(a.caller.identities.update({ ...ref, validityAt: 1e20 }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await a.caller.identities.get(ref)).toMatchObject({ visibility: "true", version: 2 });
    expect((await a.caller.identities.delete({ ...ref, expectedVersion: 2 })).version).toBe(2);
    expect((await rejection(a.caller.identities.get(ref))).code).toBe("NOT_FOUND");
  });

  it("concurrency: of many PATCHes with the same expectedVersion exactly one wins; racing creates make one row", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const ref = { twin: twin.id, name: "RFID#race" };
    await a.caller.identities.create({ twin: twin.id, identities: [{ name: ref.name }] });
    const patches = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => a.caller.identities.update({ ...ref, validityAt: n, expectedVersion: 1 })),
    );
    expect(patches.filter((p) => p.status === "fulfilled")).toHaveLength(1);
    for (const p of patches) {
      if (p.status === "rejected") expect((p.reason as { code: string }).code).toBe("PRECONDITION_FAILED");
    }
    expect((await a.caller.identities.get(ref)).version).toBe(2);

    const twinPatches = await Promise.allSettled(
      Array.from({ length: 6 }, (_, n) => a.caller.twins.update({ id: twin.id, description: { n }, expectedVersion: 1 })),
    );
    expect(twinPatches.filter((p) => p.status === "fulfilled")).toHaveLength(1);
    expect((await a.caller.twins.get({ id: twin.id })).version).toBe(2);

    const creates = await Promise.allSettled(
      Array.from({ length: 6 }, () => a.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#new" }] })),
    );
    expect(creates.filter((p) => p.status === "fulfilled")).toHaveLength(1);
    for (const p of creates) {
      if (p.status === "rejected") expect((p.reason as { cause?: { code?: string } }).cause?.code).toBe("identity.alreadyExists");
    }
  });

  it("identities can be created, updated and deleted on a terminated twin", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create();
    await a.caller.twins.terminate({ id: twin.id });
    for (const caller of [a.caller, b.caller]) {
      const ref = { twin: twin.id, name: "RFID#late" };
      expect((await caller.identities.create({ twin: twin.id, identities: [{ name: ref.name }] })).created).toHaveLength(1);
      expect((await caller.identities.update({ ...ref, visibility: "true" })).version).toBe(2);
      expect((await caller.identities.delete(ref)).name).toBe(ref.name);
    }
  });

  it("lists personal identities with the show filters", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const now = env.clock.ms;
    await a.caller.identities.create({
      twin: twin.id,
      identities: [
        { name: "V#pub", visibility: "true" },
        { name: "V#priv" },
        { name: "E#pub", visibility: "true", validityAt: now },
        { name: "E#priv", validityAt: now - 1 },
        { name: "F#priv", validityAt: now + 1 },
      ],
    });
    const names = async (flags: object) =>
      (await a.caller.identities.list({ twin: twin.id, ...flags })).personal.map((i) => i.name).sort();
    expect(await names({})).toEqual(["F#priv", "V#priv", "V#pub"]);
    expect(await names({ showExpired: true })).toEqual(["E#priv", "E#pub", "F#priv", "V#priv", "V#pub"]);
    expect(await names({ showExpired: true, showValid: false })).toEqual(["E#priv", "E#pub"]);
    expect(await names({ showPublic: false })).toEqual(["F#priv", "V#priv"]);
    expect(await names({ showPrivate: false, showExpired: true })).toEqual(["E#pub", "V#pub"]);
    expect(await names({ showPersonal: false, showExpired: true })).toEqual([]);
    expect((await a.caller.identities.list({ twin: twin.id })).foreign).toBeNull();
    expect(await rejection(a.caller.identities.list({ twin: twin.id, showForeign: "someone" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rejection(a.caller.identities.list({ twin: randomUUID() }))).toMatchObject({ code: "NOT_FOUND", domain: "twin.notFound" });
  });

  it("the cross-account scenario: a public identity with a rule, expiry, and private ones never shown", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create({ description: { kind: "pallet" } });
    await a.caller.identities.create({
      twin: twin.id,
      identities: [{ name: "RFID#1", visibility: ACCOUNTING }, { name: "RFID#secret" }, { name: "NFC#secret" }],
    });
    const accountant = await member(env.core, b, { description: { profession: "accounting" } });
    const sales = await member(env.core, b, { description: { profession: "sales" } });

    expect(await accountant.caller.identities.resolve({ name: "RFID#1", context: "system" })).toEqual({ twins: [twin.id], nextCursor: null });
    expect(await accountant.caller.identities.resolve({ name: "RFID#1", context: a.account.id })).toEqual({ twins: [twin.id], nextCursor: null });
    expect(await accountant.caller.identities.resolve({ name: "RFID#1", context: [b.account.id, a.account.id] })).toEqual({ twins: [twin.id], nextCursor: null });
    expect(await accountant.caller.identities.resolve({ name: "RFID#1" })).toEqual({ twins: [], nextCursor: null }); // personal
    expect(await accountant.caller.identities.resolve({ name: "RFID#1", context: "personal" })).toEqual({ twins: [], nextCursor: null });
    const listed = await accountant.caller.identities.list({ twin: twin.id, showForeign: true });
    expect(listed).toEqual({
      personal: [],
      foreign: { [a.account.id]: [{ name: "RFID#1", validityAt: null, createdAt: env.clock.ms, updatedAt: env.clock.ms }] },
    });
    expect(JSON.stringify(listed)).not.toContain("accounting");
    expect((await accountant.caller.identities.list({ twin: twin.id, showForeign: a.account.id })).foreign).toEqual(listed.foreign);
    expect((await accountant.caller.identities.list({ twin: twin.id, showForeign: b.account.id })).foreign).toEqual({});

    expect(await sales.caller.identities.resolve({ name: "RFID#1", context: "system" })).toEqual({ twins: [], nextCursor: null });
    expect((await sales.caller.identities.list({ twin: twin.id, showForeign: true })).foreign).toEqual({});

    env.clock.ms += 1000;
    await a.caller.identities.update({ twin: twin.id, name: "RFID#1", validityAt: env.clock.ms - 500 });
    for (const caller of [accountant.caller, sales.caller]) {
      expect(await caller.identities.resolve({ name: "RFID#1", context: "system" })).toEqual({ twins: [], nextCursor: null });
      expect((await caller.identities.list({ twin: twin.id, showForeign: true, showExpired: true })).foreign).toEqual({});
    }
    expect((await a.caller.identities.list({ twin: twin.id, showExpired: true })).personal.map((i) => i.name)).toContain("RFID#1");
    expect(await a.caller.identities.get({ twin: twin.id, name: "RFID#1" })).toMatchObject({ validityAt: env.clock.ms - 500 });

    // A's private identities never appear for B, on any procedure.
    for (const name of ["RFID#secret", "NFC#secret"]) {
      for (const caller of [accountant.caller, sales.caller, b.caller]) {
        for (const context of ["system", a.account.id, [a.account.id], "personal"] as const) {
          expect((await caller.identities.resolve({ name, context: context as never, details: true })).twins).toEqual([]);
        }
        expect((await rejection(caller.identities.get({ twin: twin.id, name }))).domain).toBe("identity.notFound");
        expect((await rejection(caller.identities.update({ twin: twin.id, name }))).domain).toBe("identity.notFound");
        expect((await rejection(caller.identities.delete({ twin: twin.id, name }))).domain).toBe("identity.notFound");
        const all = await caller.identities.list({ twin: twin.id, showForeign: true, showExpired: true });
        expect(JSON.stringify(all)).not.toContain(name);
      }
    }
  });

  it("resolve: contexts, deduplicated sorted twins, details only for accessible twins", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const c = await newAccount(env.core, "c");
    const t = await Promise.all([
      a.caller.twins.create({ description: { kind: "pallet" } }),
      a.caller.twins.create({ description: { kind: "box" } }),
      b.caller.twins.create({ description: { kind: "pallet" } }),
    ]);
    const name = "SN#42";
    await a.caller.identities.create({ twin: t[0].id, identities: [{ name }] });
    await a.caller.identities.create({ twin: t[1].id, identities: [{ name, visibility: "true" }] });
    await b.caller.identities.create({ twin: t[1].id, identities: [{ name, visibility: "true" }] });
    await b.caller.identities.create({ twin: t[2].id, identities: [{ name, visibility: "twin_status == 'alive' and TWIN.kind == 'pallet'" }] });
    await c.caller.identities.create({ twin: t[2].id, identities: [{ name, visibility: "account == '" + a.account.id + "'" }] });
    const sorted = (ids: string[]) => [...ids].sort();

    expect((await a.caller.identities.resolve({ name })).twins).toEqual(sorted([t[0].id, t[1].id]));
    expect((await a.caller.identities.resolve({ name, context: "system" })).twins).toEqual(sorted([t[0].id, t[1].id, t[2].id]));
    expect((await a.caller.identities.resolve({ name, context: b.account.id })).twins).toEqual(sorted([t[1].id, t[2].id]));
    expect((await a.caller.identities.resolve({ name, context: c.account.id.toUpperCase() })).twins).toEqual([t[2].id]);
    expect((await b.caller.identities.resolve({ name, context: c.account.id })).twins).toEqual([]);
    expect((await a.caller.identities.resolve({ name: "SN#none", context: "system" })).twins).toEqual([]);

    await b.caller.twins.terminate({ id: t[2].id });
    expect((await a.caller.identities.resolve({ name, context: b.account.id })).twins).toEqual([t[1].id]);

    const pallets = await member(env.core, a, { rules: { twinRule: "TWIN.kind == 'pallet'" } });
    const detailed = await pallets.caller.identities.resolve({ name, context: "system", details: true });
    expect(detailed.twins).toEqual(sorted([t[0].id, t[1].id, t[2].id]));
    expect(detailed.details!.map((twin) => twin.id)).toEqual(sorted([t[0].id, t[2].id]));
    expect(detailed.details!.find((twin) => twin.id === t[0].id)).toEqual(t[0]);

    for (const context of ["everyone", ["personal"], [], "not-a-uuid,also-not"]) {
      expect(await rejection(a.caller.identities.resolve({ name, context: context as never }))).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await rejection(a.caller.identities.resolve({ name: "bad name" }))).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a role's identityRule applies on top of visibility, also to the account's own identities", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create();
    await a.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#1", visibility: "true" }, { name: "NFC#1", visibility: "true" }] });
    const rfidOnlyA = await member(env.core, a, { rules: { identityRule: "identity =~ 'RFID#'" } });
    const rfidOnlyB = await member(env.core, b, { rules: { identityRule: "identity =~ 'RFID#'" } });
    expect((await rfidOnlyA.caller.identities.list({ twin: twin.id })).personal.map((i) => i.name)).toEqual(["RFID#1"]);
    expect(await rejection(rfidOnlyA.caller.identities.get({ twin: twin.id, name: "NFC#1" }))).toMatchObject({ code: "NOT_FOUND", domain: "identity.notFound" });
    expect(await rejection(rfidOnlyA.caller.identities.update({ twin: twin.id, name: "NFC#1" }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await rfidOnlyA.caller.identities.get({ twin: twin.id, name: "RFID#1" })).name).toBe("RFID#1");
    expect((await rfidOnlyA.caller.identities.resolve({ name: "NFC#1" })).twins).toEqual([]);
    expect((await rfidOnlyB.caller.identities.resolve({ name: "NFC#1", context: "system" })).twins).toEqual([]);
    expect((await rfidOnlyB.caller.identities.resolve({ name: "RFID#1", context: "system" })).twins).toEqual([twin.id]);
    expect((await rfidOnlyB.caller.identities.list({ twin: twin.id, showForeign: true })).foreign![a.account.id]!.map((i) => i.name)).toEqual(["RFID#1"]);

    // A twinRule denies the twin itself: FORBIDDEN on the twin's identity routes.
    const noTwins = await member(env.core, a, { rules: { twinRule: "false" } });
    for (const call of [
      () => noTwins.caller.identities.list({ twin: twin.id }),
      () => noTwins.caller.identities.get({ twin: twin.id, name: "RFID#1" }),
      () => noTwins.caller.identities.update({ twin: twin.id, name: "RFID#1" }),
      () => noTwins.caller.identities.delete({ twin: twin.id, name: "RFID#1" }),
      () => noTwins.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#2" }] }),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: "FORBIDDEN", domain: "twin.notAccessible" });
    }
  });

  it("the role's statement is checked before anything else, naming the action", async () => {
    const a = await newAccount(env.core, "a");
    const twin = await a.caller.twins.create();
    const none = await member(env.core, a, { statement: { effect: "allow", actions: ["get_twin"] } });
    await expectEachForbidden([
      [() => none.caller.identities.create({ twin: "x", identities: [] }), "create_twin_identity"],
      [() => none.caller.identities.list({ twin: twin.id }), "get_twin_identities"],
      [() => none.caller.identities.get({ twin: twin.id, name: "RFID#1" }), "get_twin_identity"],
      [() => none.caller.identities.update({ twin: twin.id, name: "RFID#1" }), "update_twin_identity"],
      [() => none.caller.identities.delete({ twin: twin.id, name: "RFID#1" }), "delete_twin_identity"],
      [() => none.caller.identities.resolve({ name: "bad" }), "resolve_twin_identity"],
    ]);
  });

  it("every mutation appends its events to the owner's feed", async () => {
    const a = await newAccount(env.core, "a");
    const b = await newAccount(env.core, "b");
    const twin = await a.caller.twins.create();
    await b.caller.identities.create({ twin: twin.id, identities: [{ name: "RFID#1" }, { name: "RFID#2" }] });
    await b.caller.identities.update({ twin: twin.id, name: "RFID#1", visibility: "true" });
    await b.caller.identities.delete({ twin: twin.id, name: "RFID#2" });
    await rejection(b.caller.identities.delete({ twin: twin.id, name: "RFID#2" }));
    const events = (await env.database.store.read.events.list(b.account.id, 0, 100)).filter((e) => e.type.startsWith("identity."));
    expect(events.map((e) => [e.type, e.subject, e.actor, e.data])).toEqual([
      ["identity.created", `${twin.id}/RFID#1`, b.user.id, { twin: twin.id, name: "RFID#1", version: 1 }],
      ["identity.created", `${twin.id}/RFID#2`, b.user.id, { twin: twin.id, name: "RFID#2", version: 1 }],
      ["identity.updated", `${twin.id}/RFID#1`, b.user.id, { twin: twin.id, name: "RFID#1", version: 2 }],
      ["identity.deleted", `${twin.id}/RFID#2`, b.user.id, { twin: twin.id, name: "RFID#2", version: 1 }],
    ]);
    expect((await env.database.store.read.events.list(a.account.id, 0, 100)).filter((e) => e.type.startsWith("identity."))).toEqual([]);
  });
});
