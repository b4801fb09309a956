import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError, isVisible, type Principal, type Twin, type TwinIdentity } from "../../src/index.js";
import { memoryCore, principal } from "../twins/memory-store.js";

const fails = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error("expected a DomainError");
};

const rules = (twinRule: string | null, identityRule: string | null) => ({ twinRule, entryRule: null, identityRule });

describe("visibility", () => {
  const now = 2_000_000_000_000;
  const owner = principal();
  const twin: Twin = {
    id: randomUUID(), owner: owner.account, status: "alive", description: { kind: "pallet" }, creator: owner.account,
    createdAt: 0, updatedAt: 0, terminatedAt: null, terminatedBy: null, version: 1,
  };
  const identity = (o: Partial<TwinIdentity> = {}): TwinIdentity => ({
    twin: twin.id, owner: owner.account, name: "RFID#1", validityAt: null, visibility: null, creator: owner.account,
    createdAt: 0, updatedAt: 0, version: 1, ...o,
  });
  const accountant: Principal = principal({ userDescription: { profession: "accounting" } });
  const seller: Principal = principal({ userDescription: { profession: "sales" } });
  const RULE = "USER.profession == 'accounting'";

  it("the owner's account always sees its own, expired and private included", () => {
    for (const o of [{}, { validityAt: now }, { visibility: "false" }]) expect(isVisible(owner, identity(o), twin, now)).toBe(true);
  });

  it("others see it only when valid, public and the rule is true for them", () => {
    expect(isVisible(accountant, identity({ visibility: RULE }), twin, now)).toBe(true);
    expect(isVisible(seller, identity({ visibility: RULE }), twin, now)).toBe(false);
    expect(isVisible(accountant, identity(), twin, now)).toBe(false);
    expect(isVisible(accountant, identity({ visibility: RULE, validityAt: now }), twin, now)).toBe(false);
    expect(isVisible(accountant, identity({ visibility: RULE, validityAt: now + 1 }), twin, now)).toBe(true);
    expect(isVisible(accountant, identity({ visibility: "TWIN.kind == 'pallet' and identity == 'RFID#1'" }), twin, now)).toBe(true);
    expect(isVisible(accountant, identity({ visibility: `now > ${now / 1000 - 1} and now < ${now / 1000 + 1}` }), twin, now)).toBe(true);
  });

  it("evaluation errors and stored rules that no longer parse count as false", () => {
    expect(isVisible(accountant, identity({ visibility: "USER.profession < 1" }), twin, now)).toBe(false);
    expect(isVisible(accountant, identity({ visibility: "not (USER.profession < 1)" }), twin, now)).toBe(false);
    expect(isVisible(accountant, identity({ visibility: "this is ((( not a rule" }), twin, now)).toBe(false);
  });

  it("the role's identityRule applies on top, for the owner's account too", () => {
    const rfidOnly = (p: Principal) => ({ ...p, rules: rules(null, "identity =~ 'NFC#'") });
    expect(isVisible(rfidOnly(owner), identity(), twin, now)).toBe(false);
    expect(isVisible(rfidOnly(accountant), identity({ visibility: "true" }), twin, now)).toBe(false);
    expect(isVisible({ ...accountant, rules: rules(null, "identity =~ 'RFID#'") }, identity({ visibility: "true" }), twin, now)).toBe(true);
  });
});

describe("identity use cases", () => {
  async function withTwin() {
    const env = memoryCore();
    const owner = principal();
    const twin = await env.core.twins.create(owner, { description: { kind: "pallet" } });
    env.calls.length = 0;
    return { ...env, owner, twin };
  }

  it("create validates every item before touching storage; a bad rule names its field and position", async () => {
    const { core, owner, twin, calls } = await withTwin();
    const bad = await fails(
      core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1" }, { name: "RFID#2", visibility: "USER.x ==" }] }),
    );
    expect(bad).toMatchObject({ kind: "INVALID", code: "rule.syntax", details: { field: "identities.RFID#2.visibility", line: 1 } });
    expect(bad.message).toMatch(/^identities\.RFID#2\.visibility: line 1, column \d+: /);
    expect(await fails(core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1" }, { name: "bad" }] }))).toMatchObject({
      code: "validation.invalidInput",
    });
    expect(calls).toEqual([]);
  });

  it("create reports existing names and rounds validity to the millisecond", async () => {
    const { core, owner, twin, state } = await withTwin();
    const first = await core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1", validityAt: 1.6 }] });
    expect(first.created[0]).toMatchObject({ validityAt: 2, version: 1, creator: owner.account });
    const second = await core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1" }, { name: "RFID#2" }] });
    expect([second.created.map((i) => i.name), second.alreadyExisting]).toEqual([["RFID#2"], ["RFID#1"]]);
    expect(await fails(core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#2" }] }))).toMatchObject({
      kind: "INVALID",
      code: "identity.alreadyExists",
    });
    expect(state().events.filter((e) => e.type === "identity.created")).toHaveLength(2);
  });

  it("the PATCH hot path without role rules: one conditional update and one event append, no reads", async () => {
    const { core, owner, twin, calls, clock } = await withTwin();
    await core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1", visibility: "true", validityAt: 5 }] });
    calls.length = 0;
    clock.ms += 10;
    const updated = await core.identities.update(owner, { twin: twin.id, name: "RFID#1", validityAt: null });
    expect(updated).toMatchObject({ validityAt: null, visibility: "true", version: 2, updatedAt: clock.ms });
    expect(calls).toEqual(["identities.update", "events.append"]);
  });

  it("with role rules the twin is read once to evaluate them", async () => {
    const { core, owner, twin, calls } = await withTwin();
    await core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1" }] });
    const ruled = { ...owner, rules: rules("TWIN.kind == 'pallet'", "identity =~ 'RFID#'") };
    calls.length = 0;
    await core.identities.update(ruled, { twin: twin.id, name: "RFID#1", visibility: "true" });
    expect(calls).toEqual(["twins.get", "identities.update", "events.append"]);
    expect(await fails(core.identities.get({ ...owner, rules: rules(null, "false") }, { twin: twin.id, name: "RFID#1" }))).toMatchObject({
      code: "identity.notFound",
    });
  });

  it("update and delete tell a version mismatch from a missing identity; nobody else's identity is found", async () => {
    const { core, owner, twin } = await withTwin();
    await core.identities.create(owner, { twin: twin.id, identities: [{ name: "RFID#1" }] });
    const ref = { twin: twin.id, name: "RFID#1" };
    expect(await fails(core.identities.update(owner, { ...ref, expectedVersion: 3 }))).toMatchObject({ kind: "PRECONDITION_FAILED", code: "version.mismatch" });
    expect(await fails(core.identities.delete(owner, { ...ref, expectedVersion: 3 }))).toMatchObject({ kind: "PRECONDITION_FAILED" });
    const other = principal();
    const foreign = await fails(core.identities.update(other, { ...ref, expectedVersion: 1 }));
    expect(foreign).toEqual(await fails(core.identities.update(other, { ...ref, name: "RFID#none", expectedVersion: 1 })));
    expect(foreign).toMatchObject({ kind: "NOT_FOUND", code: "identity.notFound" });
    expect(await fails(core.identities.update(owner, { twin: randomUUID(), name: "RFID#1" }))).toMatchObject({ code: "twin.notFound" });
  });

  it("list applies the personal filters and returns foreign ones grouped by owner without their rules", async () => {
    const { core, owner, twin, clock } = await withTwin();
    const other = principal();
    await core.identities.create(owner, { twin: twin.id, identities: [{ name: "A#1" }, { name: "A#2", validityAt: clock.ms }] });
    await core.identities.create(other, { twin: twin.id, identities: [{ name: "B#1", visibility: "true" }, { name: "B#2" }] });
    const list = await core.identities.list(owner, { twin: twin.id, showForeign: true });
    expect(list.personal.map((i) => i.name)).toEqual(["A#1"]);
    expect(list.foreign).toEqual({ [other.account]: [{ name: "B#1", validityAt: null, createdAt: clock.ms, updatedAt: clock.ms }] });
  });

  it("resolve asks storage for the right owners; personal is the default", async () => {
    const { core, owner, twin, calls } = await withTwin();
    const other = principal();
    await core.identities.create(owner, { twin: twin.id, identities: [{ name: "SN#1" }] });
    await core.identities.create(other, { twin: twin.id, identities: [{ name: "SN#1", visibility: "true" }] });
    calls.length = 0;
    expect(await core.identities.resolve(other, { name: "SN#1" })).toEqual({ twins: [twin.id], nextCursor: null });
    expect(await core.identities.resolve(other, { name: "SN#1", context: owner.account })).toEqual({ twins: [], nextCursor: null });
    expect(await core.identities.resolve(owner, { name: "SN#1", context: [other.account.toUpperCase(), other.account] })).toEqual({ twins: [twin.id], nextCursor: null });
    expect(await core.identities.resolve(owner, { name: "SN#1", context: "system", details: true })).toEqual({ twins: [twin.id], details: [twin], nextCursor: null });
    expect(calls).toEqual(Array(4).fill("identities.resolveCandidates"));
    for (const context of ["all", [], ["system"]]) {
      expect(await fails(core.identities.resolve(owner, { name: "SN#1", context: context as never }))).toMatchObject({ code: "validation.invalidInput" });
    }
  });
});
