import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError, ruleContext, type Twin } from "../../src/index.js";
import { decodeTwinCursor as decodeCursor, encodeTwinCursor as encodeCursor } from "../../src/twins/twins.js";
import { memoryCore, principal } from "./memory-store.js";

const fails = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a DomainError");
};

describe("twin use cases", () => {
  it("create: the caller's account owns and created it; version 1; one event", async () => {
    const { core, clock, state } = memoryCore();
    const me = principal();
    const twin = await core.twins.create(me, { description: { kind: "pallet" } });
    expect(twin).toMatchObject({ owner: me.account, creator: me.account, status: "alive", version: 1, createdAt: clock.ms, updatedAt: clock.ms });
    expect(state().events.map((e) => [e.account, e.type, e.subject, e.actor])).toEqual([[me.account, "twin.created", twin.id, me.user]]);
  });

  it("checks in order: action, input, existence, twin rule, ownership, version, state", async () => {
    const { core } = memoryCore();
    const owner = principal();
    const twin = await core.twins.create(owner, { description: { kind: "pallet" } });
    const noAction = principal({ account: owner.account, statement: { effect: "allow", actions: [] } });
    expect(await fails(core.twins.update(noAction, { id: "bad" }))).toMatchObject({ code: "access.actionNotPermitted" });
    expect(await fails(core.twins.update(owner, { id: "bad" }))).toMatchObject({ code: "validation.invalidInput" });
    expect(await fails(core.twins.update(owner, { id: randomUUID() }))).toMatchObject({ kind: "NOT_FOUND", code: "twin.notFound" });
    const ruled = principal({ account: owner.account, rules: { twinRule: "TWIN.kind == 'box'", entryRule: null, identityRule: null } });
    expect(await fails(core.twins.update(ruled, { id: twin.id }))).toMatchObject({ kind: "FORBIDDEN", code: "twin.notAccessible" });
    const stranger = principal();
    expect(await fails(core.twins.update(stranger, { id: twin.id, expectedVersion: 9 }))).toMatchObject({ kind: "FORBIDDEN", code: "twin.notOwner" });
    expect(await fails(core.twins.terminate(stranger, { id: twin.id }))).toMatchObject({ code: "twin.notOwner" });
    await core.twins.terminate(owner, { id: twin.id });
    expect(await fails(core.twins.update(owner, { id: twin.id, expectedVersion: 1 }))).toMatchObject({ kind: "PRECONDITION_FAILED" });
    expect(await fails(core.twins.update(owner, { id: twin.id }))).toMatchObject({ kind: "CONFLICT", code: "twin.terminated" });
    expect(await fails(core.twins.terminate(owner, { id: twin.id }))).toEqual({
      kind: "INVALID",
      code: "twin.alreadyTerminated",
      message: "Twin already terminated.",
    });
  });

  it("a failed mutation leaves no trace (no half-written twin, no event)", async () => {
    const { core, state } = memoryCore();
    const owner = principal();
    const twin = await core.twins.create(owner);
    const before = structuredClone(state());
    await fails(core.twins.update(owner, { id: twin.id, description: { x: 1 }, expectedVersion: 2 }));
    expect(state()).toEqual(before);
  });

  it("get: showTerminated=false hides terminated twins; any account may get a twin by id", async () => {
    const { core } = memoryCore();
    const owner = principal();
    const twin = await core.twins.create(owner);
    expect((await core.twins.get(principal(), { id: twin.id })).id).toBe(twin.id);
    await core.twins.terminate(owner, { id: twin.id });
    expect((await core.twins.get(owner, { id: twin.id })).status).toBe("terminated");
    expect(await fails(core.twins.get(owner, { id: twin.id, showTerminated: false }))).toMatchObject({ code: "twin.notFound" });
  });

  it("list: keyset pages over the owner's twins; the twin rule filters a page, the cursor moves on", async () => {
    const { core, clock } = memoryCore();
    const owner = principal();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      clock.ms += 1;
      ids.push((await core.twins.create(owner, { description: { n } })).id);
    }
    const odd = { ...owner, rules: { twinRule: "TWIN.n % 2 == 1", entryRule: null, identityRule: null } };
    const first = await core.twins.list(odd, { limit: 2 });
    expect(first.items.map((t: Twin) => t.id)).toEqual([ids[1]]);
    const second = await core.twins.list(odd, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((t: Twin) => t.id)).toEqual([ids[3]]);
    const third = await core.twins.list(odd, { limit: 2, cursor: second.nextCursor });
    expect(third).toEqual({ items: [], nextCursor: null });
  });

  it("cursors round-trip and anything else is INVALID", () => {
    const position = { createdAt: 1_767_225_600_000, id: randomUUID() };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    for (const bad of ["", "x", Buffer.from("[1]").toString("base64url"), Buffer.from('[-1,"a"]').toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(DomainError);
    }
  });

  it("the rule context: caller ids, USER and DICT ({} when absent), the twin, now in epoch seconds", () => {
    const me = principal({ dict: { serial: "S1" } });
    const twin: Twin = {
      id: randomUUID(), owner: me.account, status: "alive", description: null, creator: me.account,
      createdAt: 0, updatedAt: 0, terminatedAt: null, terminatedBy: null, version: 1,
    };
    expect(ruleContext(me, 1_608_591_123_123, twin, "RFID#1")).toEqual({
      account: me.account,
      user: me.user,
      role: me.role,
      USER: {},
      DICT: { serial: "S1" },
      twin: twin.id,
      TWIN: {},
      twin_status: "alive",
      identity: "RFID#1",
      now: 1_608_591_123.123,
    });
    expect(ruleContext(me, 0, undefined, null)).toMatchObject({ twin: null, TWIN: {}, twin_status: null, identity: null });
  });
});
