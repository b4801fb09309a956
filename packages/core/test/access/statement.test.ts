import { describe, expect, it } from "vitest";
import { ACTIONS, isWithin, permits, permittedActions, SUPER_ADMIN_STATEMENT } from "../../src/index.js";

describe("statements", () => {
  it("allow permits only the listed actions", () => {
    const s = { effect: "allow" as const, actions: ["get_users" as const] };
    expect(permits(s, "get_users")).toBe(true);
    expect(permits(s, "create_user")).toBe(false);
    expect(permittedActions(s)).toEqual(["get_users"]);
  });

  it("deny permits everything but the listed actions; deny + null is everything", () => {
    expect(permits({ effect: "deny", actions: ["create_user"] }, "create_user")).toBe(false);
    expect(permits({ effect: "deny", actions: ["create_user"] }, "get_users")).toBe(true);
    expect(permittedActions(SUPER_ADMIN_STATEMENT)).toEqual([...ACTIONS]);
  });

  it("allow + null permits nothing", () => {
    expect(permittedActions({ effect: "allow", actions: null })).toEqual([]);
  });

  it("isWithin compares the permitted sets, whatever the effects", () => {
    const readUsers = { effect: "allow" as const, actions: ["get_users" as const, "get_user" as const] };
    const allButCreate = { effect: "deny" as const, actions: ["create_user" as const] };
    expect(isWithin(readUsers, allButCreate)).toBe(true);
    expect(isWithin(allButCreate, readUsers)).toBe(false);
    expect(isWithin(SUPER_ADMIN_STATEMENT, allButCreate)).toBe(false);
    expect(isWithin(allButCreate, SUPER_ADMIN_STATEMENT)).toBe(true);
    expect(isWithin({ effect: "allow", actions: ["create_user"] }, allButCreate)).toBe(false);
  });
});
